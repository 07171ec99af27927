import { test, expect, expectAccessible, settle, signIn } from "./fixtures";
import type { Page } from "@playwright/test";

const SIZES = [
  { name: "phone", width: 390, height: 844 },
  { name: "desk", width: 1280, height: 800 },
];

/**
 * Pages each person opens: an address, or a page reached from `from` by following,
 * in turn, the first link of the content whose address matches each pattern (or
 * whose name is the text given).
 */
type Visit = { path: string } | { from: string; follow: (RegExp | string)[] };

const VISITS: { who: string | null; visits: Visit[] }[] = [
  {
    who: null,
    visits: [
      { path: "/" },
      { path: "/cases?q=研修" },
      { from: "/cases", follow: [/^\/cases\/[^/?]+$/] },
      { path: "/advisors" },
      { from: "/advisors", follow: [/^\/advisors\/\d+$/] },
      { path: "/trainings" },
      { path: "/login" },
    ],
  },
  {
    who: "miyake@renkei.example",
    visits: [
      { path: "/" },
      { path: "/advisors/match?need=窓口のセキュリティ対策" },
      { from: "/trainings", follow: [/^\/trainings\/\d+$/] },
      { path: "/account/password" },
      { path: "/dispatches" },
      { path: "/dispatches/new?advisor=1" },
      // The demo's first request: 三宅町's, just filed.
      { path: "/dispatches/1" },
      { path: "/channels" },
      { path: "/channels/1" },
      { path: "/notices" },
      { path: "/notices/1" },
      { path: "/surveys" },
      { path: "/surveys/1" },
    ],
  },
  {
    who: "nara-admin@renkei.example",
    visits: [
      { path: "/" },
      { path: "/trainings" },
      { path: "/trainings/new" },
      { from: "/trainings", follow: [/^\/trainings\/\d+$/] },
      { from: "/trainings", follow: ["情報セキュリティ研修(令和8年度)", /\/notices$/] },
      { path: "/municipalities/293628" },
      { path: "/advisors/new" },
      { from: "/admin/advisors", follow: [/^\/advisors\/\d+$/, /\/edit$/] },
      { path: "/admin/advisors" },
      { path: "/admin/accounts" },
      { path: "/admin/accounts/new" },
      { from: "/admin/accounts", follow: [/^\/admin\/accounts\/\d+$/] },
      { path: "/admin/audit" },
      { path: "/admin/taxonomy" },
      { path: "/admin/webhooks" },
      { path: "/advisors/match?need=データ活用の研修" },
      { from: "/trainings", follow: ["DX推進リーダー育成研修", /\/edit$/] },
      { path: "/dispatches?status=approved" },
      { path: "/dispatches/usage" },
      { path: "/dispatches/programmes" },
      { path: "/dispatches/programmes/new" },
      { path: "/dispatches/programmes/1" },
      { path: "/counterparts" },
      { path: "/counterparts?unvisited=on&sort=region" },
      { path: "/counterparts/reassign" },
      { path: "/channels" },
      { path: "/channels/2" },
      { path: "/notices" },
      { path: "/notices/1" },
      { path: "/surveys" },
      { path: "/surveys/1" },
      // The demo's requests: one to propose for (the ranked bank), one to schedule.
      { path: "/dispatches/1" },
      { path: "/dispatches/3" },
    ],
  },
  {
    who: "nara-staff@renkei.example",
    visits: [
      { path: "/" },
      { path: "/municipalities/293628" },
    ],
  },
  {
    who: "advisor1@renkei.example",
    visits: [
      { path: "/" },
      { from: "/", follow: [/^\/advisors\/\d+\/edit$/] },
      { path: "/dispatches" },
      // Held two days ago: the report form.
      { path: "/dispatches/5" },
    ],
  },
];

/** The address a visit opens. */
async function address(page: Page, visit: Visit, javaScriptEnabled: boolean | undefined): Promise<string> {
  if ("path" in visit) return visit.path;
  let here = visit.from;
  for (const step of visit.follow) {
    await page.goto(here);
    await settle(page, javaScriptEnabled);
    const links = await page
      .locator("main a[href]")
      .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute("href") ?? "", name: (a.textContent ?? "").trim() })));
    const found = links.find((l) => (typeof step === "string" ? l.name === step : step.test(l.href)));
    expect(found, `a link ${step} on ${here}`).toBeTruthy();
    here = found!.href;
  }
  return here;
}

/**
 * What does not fit: how far the page is wider than the screen, and the text
 * squeezed into a column narrower than four characters (wrapped onto a second
 * line while narrower than four of its characters).
 */
async function layoutProblems(page: Page) {
  return page.evaluate(() => {
    const overflow = document.documentElement.scrollWidth - window.innerWidth;
    const squeezed: string[] = [];
    for (const el of Array.from(document.querySelectorAll("body *"))) {
      if (el.closest(".visually-hidden, .skip-link, script, style")) continue;
      const own = Array.from(el.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => (n.textContent ?? "").trim())
        .join("");
      const chars = Array.from(own).length;
      if (chars < 2) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      const style = getComputedStyle(el);
      const size = parseFloat(style.fontSize);
      const line = parseFloat(style.lineHeight) || size * 1.7;
      // The height of the text itself: padding and borders are not lines.
      const box = ["paddingTop", "paddingBottom", "borderTopWidth", "borderBottomWidth"]
        .map((k) => parseFloat(style[k as "paddingTop"]) || 0)
        .reduce((a, b) => a + b, 0);
      const wraps = rect.height - box > line * 1.5;
      if (wraps && rect.width < Math.min(chars, 4) * size * 0.95) {
        squeezed.push(`<${el.tagName.toLowerCase()} class="${el.className}"> 「${own.slice(0, 12)}」 ${Math.round(rect.width)}px`);
      }
    }
    return { overflow, squeezed };
  });
}

for (const size of SIZES) {
  for (const { who, visits } of VISITS) {
    test(`every page ${who ? `of ${who}` : "signed out"} fits a ${size.name} (${size.width}×${size.height}) without sideways scrolling or squeezed text, and passes axe`, async ({ page, problems, javaScriptEnabled }) => {
      test.setTimeout(120_000);
      await page.setViewportSize({ width: size.width, height: size.height });
      if (who) await signIn(page, who, javaScriptEnabled);
      for (const visit of visits) {
        const path = await address(page, visit, javaScriptEnabled);
        const response = await page.goto(path);
        expect(response?.status(), path).toBe(200);
        await settle(page, javaScriptEnabled);
        const found = await layoutProblems(page);
        expect(found.overflow, `${path} is wider than the screen by`).toBeLessThanOrEqual(0);
        expect(found.squeezed, `${path}: text squeezed into a narrow column`).toEqual([]);
        await expectAccessible(page, javaScriptEnabled);
      }
      expect(problems).toEqual([]);
    });
  }
}

test("on a phone the menu opens from its button and leads to a page", async ({ page, problems, javaScriptEnabled }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  await settle(page, javaScriptEnabled);
  const menu = page.getByRole("navigation", { name: "メインメニュー" });
  await expect(menu.getByRole("link", { name: "事例ライブラリ" })).toBeHidden();
  await page.locator("summary", { hasText: "メニュー" }).click();
  await menu.getByRole("link", { name: "事例ライブラリ" }).click();
  await settle(page, javaScriptEnabled);
  await expect(page).toHaveURL(/\/cases$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("事例");
  expect(problems).toEqual([]);
});

test("on a desk the menu is open and shows no button", async ({ page, problems, javaScriptEnabled }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/");
  await settle(page, javaScriptEnabled);
  await expect(page.locator("summary", { hasText: "メニュー" })).toBeHidden();
  const menu = page.getByRole("navigation", { name: "メインメニュー" });
  await expect(menu.getByRole("link", { name: "共同研修" })).toBeVisible();
  const header = await page.locator(".site-header").boundingBox();
  // Title and sign-in on one line, the menu on the next: no third line.
  expect(header!.height).toBeLessThan(150);
  expect(problems).toEqual([]);
});
