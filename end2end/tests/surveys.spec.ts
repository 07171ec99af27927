import { readFile } from "node:fs/promises";
import { test, expect, expectAccessible, settle, signIn } from "./fixtures";

test.describe("surveys", () => {
  test("nara-staff sends a 照会, miyake answers it without JavaScript, nara-staff downloads the CSV", async ({ page, browser, problems, javaScriptEnabled }) => {
    test.setTimeout(120_000);
    const title = `窓口のキャッシュレス対応調査 ${javaScriptEnabled === false ? "JSなし" : "JSあり"} ${Date.now()}`;
    const due = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);

    // nara-staff makes the 照会 for every town.
    await signIn(page, "nara-staff@renkei.example", javaScriptEnabled);
    await page.goto("/surveys");
    await settle(page, javaScriptEnabled);
    await page.getByLabel("件名").fill(title);
    await page.getByLabel("回答期限").fill(due);
    const first = page.locator(".question-row").nth(0);
    await first.getByLabel("種類").selectOption("choice");
    await first.getByLabel("質問文").fill("キャッシュレス決済を導入していますか");
    await first.getByLabel("選択肢").fill("全窓口で導入済み\n一部の窓口で導入済み\n未導入");
    await first.getByLabel("回答を必須にする").check();
    const second = page.locator(".question-row").nth(1);
    await second.getByLabel("種類").selectOption("number");
    await second.getByLabel("質問文").fill("対応している窓口の数");
    await page.getByRole("button", { name: "照会を送る" }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.locator("#flash-message")).toContainText("照会を送りました");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(page.getByRole("heading", { name: "回答した市町村 0 / 39" })).toBeVisible();
    await expectAccessible(page, javaScriptEnabled);
    const surveyUrl = page.url();

    // miyake, without JavaScript, finds it on its home and answers.
    const other = await browser.newContext({ javaScriptEnabled: false, locale: "ja-JP" });
    const miyake = await other.newPage();
    await signIn(miyake, "miyake@renkei.example", false);
    await miyake.goto("/");
    await expect(miyake.getByRole("heading", { name: "回答が必要な照会" })).toBeVisible();
    await miyake.getByRole("link", { name: title }).click();
    await expect(miyake.locator(".status-line")).toHaveText("この団体の回答: 未回答");
    await expectAccessible(miyake, false);
    // Submitting without the required question is refused; what was typed stays.
    await miyake.getByLabel("2. 対応している窓口の数").fill("３");
    await miyake.getByRole("button", { name: "提出する" }).click();
    await expect(miyake.locator("#flash-message")).toContainText("質問1は回答が必要です");
    await expect(miyake.getByLabel("2. 対応している窓口の数")).toHaveValue("３");
    await expectAccessible(miyake, false);
    await miyake.getByLabel("一部の窓口で導入済み").check();
    await miyake.getByRole("button", { name: "下書き保存" }).click();
    await expect(miyake.locator("#flash-message")).toContainText("下書きを保存しました");
    await expect(miyake.locator(".status-line")).toHaveText("この団体の回答: 下書き");
    await expect(miyake.getByLabel("一部の窓口で導入済み")).toBeChecked();
    await miyake.getByRole("button", { name: "提出する" }).click();
    await expect(miyake.locator("#flash-message")).toContainText("回答を提出しました");
    await expect(miyake.locator(".status-line")).toContainText("回答済み");
    await other.close();

    // nara-staff sees it counted and downloads every answer.
    await page.goto(surveyUrl);
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { name: "回答した市町村 1 / 39" })).toBeVisible();
    const row = page.locator("tr", { hasText: "三宅町" });
    await expect(row).toContainText("一部の窓口で導入済み");
    await expect(row).toContainText("3");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "CSV をダウンロード" }).click(),
    ]);
    const csv = await readFile(await download.path());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.subarray(3).toString("utf-8").split("\r\n").filter((l) => l !== "");
    expect(lines).toHaveLength(40);
    expect(lines[0]).toContain("1. キャッシュレス決済を導入していますか");
    expect(lines.find((l) => l.includes("三宅町"))).toContain("回答済み");
    expect(lines.find((l) => l.includes("三宅町"))).toContain("一部の窓口で導入済み,3");
    await expectAccessible(page, javaScriptEnabled);
    expect(problems).toEqual([]);
  });
});
