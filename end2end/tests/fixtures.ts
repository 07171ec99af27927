import { test as base, expect, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

/** Console errors and warnings, uncaught exceptions and failed requests of a page. */
export type Problems = string[];

export const test = base.extend<{ problems: Problems }>({
  problems: async ({ page, javaScriptEnabled }, use) => {
    const problems: Problems = [];
    // Documents answered 401/403/404 on purpose (a test asserts that status).
    const expectedStatus = new Set<string>();
    const noJs = javaScriptEnabled === false;
    page.on("console", (msg) => {
      if (msg.type() !== "error" && msg.type() !== "warning") return;
      // Chromium reports a 4xx document as a failed resource; a test that asked
      // for such a page asserts that status itself.
      if (/status of 40[134]/.test(msg.text()) && expectedStatus.has(msg.location().url)) return;
      // Without JavaScript the preloaded wasm is never used, by design.
      if (noJs && msg.text().includes("was preloaded using link preload but not used")) return;
      problems.push(`console.${msg.type()}: ${msg.text()}`);
    });
    page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
    page.on("requestfailed", (req) => {
      // Playwright disables JavaScript with a CSP, which blocks the module preload.
      // Without JavaScript nothing waits for the preloaded bundle, so a form post
      // navigates away and the browser cancels the preload (ERR_ABORTED).
      const error = req.failure()?.errorText ?? "";
      if (noJs && error === "csp" && new URL(req.url()).pathname.startsWith("/pkg/")) return;
      if (noJs && error === "net::ERR_ABORTED" && req.resourceType() !== "document") return;
      // A channel's live feed stays open until the page is left, which aborts it.
      if (error === "net::ERR_ABORTED" && req.resourceType() === "eventsource") return;
      problems.push(`requestfailed: ${req.url()} ${req.failure()?.errorText}`);
    });
    page.on("response", (res) => {
      if ([401, 403, 404].includes(res.status()) && res.request().resourceType() === "document") {
        expectedStatus.add(res.url());
      } else if (res.status() >= 400) {
        problems.push(`HTTP ${res.status()}: ${res.url()}`);
      }
    });
    await use(problems);
    expect(problems, "browser console must stay clean").toEqual([]);
  },
});

export { expect };

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * Fails on serious or critical accessibility violations. axe-core needs
 * JavaScript, so for a page opened without it the same address is checked in a
 * second page where scripts run but the app's own bundle is blocked: axe then
 * sees exactly the server-rendered HTML.
 */
export async function expectAccessible(page: Page, javaScriptEnabled: boolean | undefined) {
  let target = page;
  let extra: Page | undefined;
  if (javaScriptEnabled === false) {
    // Same cookies, so a private page is checked as the signed-in user sees it.
    const storageState = await page.context().storageState();
    const context = await page.context().browser()!.newContext({ javaScriptEnabled: true, locale: "ja-JP", storageState });
    extra = await context.newPage();
    await extra.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
    await extra.goto(page.url());
    target = extra;
  }
  try {
    const results = await new AxeBuilder({ page: target }).withTags(AXE_TAGS).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(
      serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
      "axe-core serious/critical violations",
    ).toEqual([]);
  } finally {
    await extra?.context().close();
  }
}

/** Waits until the page is hydrated (JavaScript on) or simply loaded (off). */
export async function settle(page: Page, javaScriptEnabled: boolean | undefined) {
  await page.waitForLoadState("load");
  if (javaScriptEnabled !== false) {
    await page.locator("html[data-hydrated=true]").waitFor({ state: "attached" });
  }
}

/** The demo accounts' password. */
export const PASSWORD = "demo-pass-2026";

/** Signs in on the login page as a demo account. */
export async function signIn(page: Page, email: string, javaScriptEnabled: boolean | undefined) {
  await page.goto("/login");
  await settle(page, javaScriptEnabled);
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill(PASSWORD);
  await page.getByRole("button", { name: "ログイン" }).click();
  await settle(page, javaScriptEnabled);
}

/** Signs out with the header's button. */
export async function signOut(page: Page, javaScriptEnabled: boolean | undefined) {
  await page.getByRole("button", { name: "ログアウト" }).click();
  await settle(page, javaScriptEnabled);
}

/** Presses the button named exactly `name` and waits for the next page. */
export async function press(page: Page, name: string, javaScriptEnabled: boolean | undefined) {
  await page.getByRole("button", { name, exact: true }).click();
  await settle(page, javaScriptEnabled);
}

/** Opens `path` and waits until it is ready. */
export async function open(page: Page, path: string, javaScriptEnabled: boolean | undefined) {
  await page.goto(path);
  await settle(page, javaScriptEnabled);
}
