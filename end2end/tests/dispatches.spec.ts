import { test, expect, expectAccessible, settle, signIn, signOut, press, open } from "./fixtures";
import type { Page } from "@playwright/test";

/** The DX advisor row of the town's quota table: 「2回・5時間」. */
async function dxUse(page: Page): Promise<string> {
  const row = page.getByRole("row", { name: /DXアドバイザー派遣/ });
  return (await row.getByRole("cell").first().innerText()).trim();
}

/** A day two days ago, `YYYY-MM-DD` in Japan: held, so the advisor may report. */
function twoDaysAgo(): string {
  const jst = new Date(Date.now() + 9 * 3600_000 - 2 * 86400_000);
  return jst.toISOString().slice(0, 10);
}

test.describe("advisor dispatch", () => {
  test("三宅町 requests an advisor from the match page, the 県 proposes and approves, the advisor reports and the town confirms", async ({ page, problems, javaScriptEnabled }) => {
    test.setTimeout(120_000);
    const noJs = javaScriptEnabled === false;
    const need = `窓口のオンライン申請を始めたい(${noJs ? "JSなし" : "JSあり"})`;

    await signIn(page, "miyake@renkei.example", javaScriptEnabled);
    await open(page, "/dispatches", javaScriptEnabled);
    const before = await dxUse(page);
    await expectAccessible(page, javaScriptEnabled);

    await open(page, "/advisors/match", javaScriptEnabled);
    await page.getByLabel("困っていること・相談したいこと").fill("オンライン申請");
    await page.getByRole("button", { name: "探す" }).click();
    await settle(page, javaScriptEnabled);
    await page.getByRole("link", { name: "この人に派遣を依頼" }).first().click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("派遣を依頼する");
    await expect(page.getByRole("heading", { name: "希望するアドバイザー" })).toBeVisible();
    await expectAccessible(page, javaScriptEnabled);
    const programme = page.getByLabel("派遣制度");
    const dx = await programme.locator("option", { hasText: "DXアドバイザー派遣" }).getAttribute("value");
    await programme.selectOption(dx!);
    await page.getByLabel("方法").selectOption("onsite");
    await page.getByLabel("相談したいこと").fill(need);
    await page.getByLabel(/希望する時間/).fill("2");
    await press(page, "県に依頼する", javaScriptEnabled);
    await expect(page.locator("#flash-message")).toContainText("派遣を依頼しました");
    const path = new URL(page.url()).pathname;
    expect(path).toMatch(/^\/dispatches\/\d+$/);
    await signOut(page, javaScriptEnabled);

    // The 県 proposes advisor1 (number 1 in the bank); the ranking is on the page.
    await signIn(page, "nara-staff@renkei.example", javaScriptEnabled);
    await open(page, path, javaScriptEnabled);
    await expect(page.getByRole("group", { name: /提案するアドバイザー/ })).toBeVisible();
    await expectAccessible(page, javaScriptEnabled);
    await page.getByLabel("一覧にない人を番号で指定(任意)").fill("1");
    await press(page, "アドバイザーを提案", javaScriptEnabled);
    await expect(page.locator("#flash-message")).toContainText("提案しました");
    await signOut(page, javaScriptEnabled);

    await signIn(page, "advisor1@renkei.example", javaScriptEnabled);
    await open(page, "/dispatches", javaScriptEnabled);
    await page.locator(`a[href="${path}"]`).click();
    await settle(page, javaScriptEnabled);
    await press(page, "引き受ける", javaScriptEnabled);
    await expect(page.locator("#flash-message")).toContainText("引き受けました");
    await signOut(page, javaScriptEnabled);

    const day = twoDaysAgo();
    const [from, to] = noJs ? ["11:00", "13:00"] : ["08:30", "10:30"];
    await signIn(page, "nara-staff@renkei.example", javaScriptEnabled);
    await open(page, path, javaScriptEnabled);
    await page.getByLabel("開始日時").fill(`${day}T${from}`);
    await page.getByLabel("終了日時").fill(`${day}T${to}`);
    await page.getByLabel(/^場所/).fill("三宅町役場 2階会議室");
    await press(page, "派遣を決定", javaScriptEnabled);
    await expect(page.locator("#flash-message")).toContainText("派遣を決定しました");
    await signOut(page, javaScriptEnabled);

    await signIn(page, "advisor1@renkei.example", javaScriptEnabled);
    await open(page, path, javaScriptEnabled);
    await page.getByLabel("実施時間(時間)").fill("2");
    await page.getByLabel("実施内容").fill("オンライン申請を始める手続を3つに絞りました。");
    await press(page, "実施報告", javaScriptEnabled);
    await expect(page.locator("#flash-message")).toContainText("実施報告を登録しました");
    await signOut(page, javaScriptEnabled);

    await signIn(page, "miyake@renkei.example", javaScriptEnabled);
    await open(page, path, javaScriptEnabled);
    await press(page, "報告を確認", javaScriptEnabled);
    await expect(page.locator("#flash-message")).toContainText("完了です");
    await expect(page.getByRole("list").filter({ hasText: "報告を確認" }).first()).toBeVisible();
    await open(page, "/dispatches", javaScriptEnabled);
    const after = await dxUse(page);
    const count = (text: string) => Number(text.match(/^(\d+)回/)?.[1]);
    expect(count(after)).toBe(count(before) + 1);
    await expect(page.locator("figure.bar-chart svg").first()).toHaveAttribute("aria-label", new RegExp(`DXアドバイザー派遣[^、]*: ${count(after)}回 / 5回`));
    await expectAccessible(page, javaScriptEnabled);
    expect(problems).toEqual([]);
  });
});
