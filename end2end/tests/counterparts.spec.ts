import { test, expect, expectAccessible, settle, signIn, signOut, press, open } from "./fixtures";
import type { Page } from "@playwright/test";

const HEADER = "団体コード,担当者メール,主担当/副担当";

/** Today in Japan, `YYYY-MM-DD`. */
function today(): string {
  return new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
}

/** 「令和8年度に訪問した市町村: 13 / 39」 → 13. */
async function visited(page: Page): Promise<number> {
  const lead = await page.getByText(/に訪問した市町村: \d+ \/ \d+/).innerText();
  return Number(lead.match(/: (\d+) \//)![1]);
}

/** A CSV file as Excel users save it with UTF-8 (with a BOM), CRLF line ends. */
function csvFile(lines: string[]) {
  return {
    name: "jinji-idou.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("\uFEFF" + [HEADER, ...lines].join("\r\n") + "\r\n", "utf-8"),
  };
}

test.describe("counterparts", () => {
  test("the 県管理者 reassigns by CSV, a counterpart logs a visit, the coverage moves and the town sees its counterpart", async ({ page, problems, javaScriptEnabled }) => {
    test.setTimeout(120_000);
    const noJs = javaScriptEnabled === false;
    // Each run visits a town the demo has not visited this 年度 (the runs share one server).
    const [town, name] = noJs ? ["293610", "川西町"] : ["293628", "三宅町"];

    // 1. nara-admin: a CSV with a wrong line is refused line by line, nothing applied.
    await signIn(page, "nara-admin@renkei.example", javaScriptEnabled);
    await open(page, "/counterparts/reassign", javaScriptEnabled);
    await expectAccessible(page, javaScriptEnabled);
    await page.getByLabel(/異動日/).fill(today());
    await page.getByLabel(/CSV ファイル/).setInputFiles(
      csvFile([`${town},nara-staff@renkei.example,主担当`, `${town},nobody@renkei.example,副担当`]),
    );
    await press(page, "内容を確認する", javaScriptEnabled);
    await expect(page.getByRole("alert").filter({ hasText: "3行目" })).toContainText("nobody@renkei.example");
    await expect(page.getByRole("button", { name: "この内容で適用する" })).toHaveCount(0);

    // The corrected file: 三宅町 (and this run's town) to nara-staff, nara-staff2 as second.
    await page.getByLabel(/異動日/).fill(today());
    await page.getByLabel(/CSV ファイル/).setInputFiles(
      csvFile([
        "293628,nara-staff@renkei.example,主担当",
        "293628,nara-staff2@renkei.example,副担当",
        ...(town === "293628" ? [] : [`${town},nara-staff@renkei.example,主担当`]),
      ]),
    );
    await press(page, "内容を確認する", javaScriptEnabled);
    await expect(page.getByRole("heading", { name: /付の変更の確認/ })).toBeVisible();
    await expect(page.getByRole("row", { name: new RegExp(name) }).first()).toContainText("奈良 連太");
    await expectAccessible(page, javaScriptEnabled);
    await press(page, "この内容で適用する", javaScriptEnabled);
    await expect(page.locator("#flash-message")).toContainText("市町村の担当を変更しました");
    await signOut(page, javaScriptEnabled);

    // 2. nara-staff: the town is on their home; they log a visit with a follow-up.
    await signIn(page, "nara-staff@renkei.example", javaScriptEnabled);
    await expect(page.getByRole("heading", { name: "担当の市町村", level: 2 })).toBeVisible();
    await expect(page.getByRole("table", { name: /担当の市町村/ }).getByRole("row", { name: new RegExp(`^${name}`) })).toContainText("主担当");
    await expectAccessible(page, javaScriptEnabled);
    await open(page, "/counterparts", javaScriptEnabled);
    const before = await visited(page);
    await open(page, `/municipalities/${town}`, javaScriptEnabled);
    await page.getByLabel("種類", { exact: true }).selectOption("visit");
    await page.getByLabel("日付", { exact: true }).fill(today());
    await page.getByLabel("参加者(県・市町村)").fill("県: 奈良 連太 / 町: 総務課");
    await page.getByLabel("記録", { exact: true }).fill(`庁内のDX推進体制を聞き取りました(${noJs ? "JSなし" : "JSあり"})。`);
    await page.getByLabel("やること", { exact: true }).fill("研修の案内を送る");
    await page.getByLabel("期限", { exact: true }).fill(today());
    await press(page, "記録する", javaScriptEnabled);
    await expect(page.locator("#flash-message")).toContainText("伴走支援の記録を登録しました");
    await expect(page.locator(".timeline")).toContainText("研修の案内を送る");
    // The follow-up is done: it leaves the open count.
    await page.getByRole("button", { name: "研修の案内を送る: 完了にする" }).first().click();
    await settle(page, javaScriptEnabled);
    await expect(page.locator("#flash-message")).toContainText("フォローアップを完了にしました");
    await expect(page.getByRole("button", { name: "研修の案内を送る: 未完了に戻す" }).first()).toBeVisible();
    await open(page, "/counterparts", javaScriptEnabled);
    expect(await visited(page)).toBe(before + 1);
    await expectAccessible(page, javaScriptEnabled);
    await signOut(page, javaScriptEnabled);

    // 3. miyake: its home names its counterparts.
    await signIn(page, "miyake@renkei.example", javaScriptEnabled);
    const people = page.locator("section", { has: page.getByRole("heading", { name: "県の担当者(カウンターパート)" }) });
    await expect(people).toContainText("主担当 奈良 連太");
    await expect(people).toContainText("副担当 奈良 和美");
    await expectAccessible(page, javaScriptEnabled);
    expect(problems).toEqual([]);
  });
});
