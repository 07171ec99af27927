import { test, expect, expectAccessible, settle, signIn, signOut, press } from "./fixtures";
import type { Page } from "@playwright/test";

/** From the header: 共同研修, then the course called `title`. */
async function openCourse(page: Page, title: string, javaScriptEnabled: boolean | undefined) {
  await page.getByRole("link", { name: "共同研修" }).first().click();
  await settle(page, javaScriptEnabled);
  await page.getByRole("link", { name: title }).click();
  await settle(page, javaScriptEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
}

async function enrol(page: Page, names: string[], javaScriptEnabled: boolean | undefined) {
  for (const [row, name] of names.entries()) {
    const group = page.getByRole("group", { name: `受講者${row + 1}` });
    await group.getByLabel("氏名").fill(name);
    await group.getByLabel("職名").fill("主事");
  }
  await press(page, "申し込む", javaScriptEnabled);
}

test.describe("joint training", () => {
  test("a 県管理者 creates a two-session course, two towns enrol, it is confirmed, and 三宅町 prints its own notice", async ({ page, problems, javaScriptEnabled }) => {
    // Four people sign in and out and about thirty pages load: longer than the default.
    test.setTimeout(120_000);
    const noJs = javaScriptEnabled === false;
    const title = `自治体DX研修(${noJs ? "JSなし" : "JSあり"})`;

    await signIn(page, "nara-admin@renkei.example", javaScriptEnabled);
    await page.getByRole("link", { name: "共同研修" }).first().click();
    await settle(page, javaScriptEnabled);
    await page.getByRole("link", { name: "研修を登録する" }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("共同研修を登録");
    await expectAccessible(page, javaScriptEnabled);

    const outline = page.getByRole("group", { name: "研修の概要" });
    await outline.getByLabel("研修名").fill(title);
    await outline.getByLabel("対象").fill("DX推進リーダー");
    await outline.getByLabel("定員").fill("20");
    const first = page.getByRole("group", { name: "第1回(必須)" });
    await first.getByLabel("開始日時").fill("2027-02-10T13:30");
    await first.getByLabel("終了日時").fill("2027-02-10T16:30");
    await first.getByLabel("会場").fill("奈良県庁 会議室");
    const second = page.getByRole("group", { name: "第2回" });
    await second.getByLabel("開始日時").fill("2027-02-17T13:30");
    await second.getByLabel("終了日時").fill("2027-02-17T16:30");
    await second.getByLabel("オンライン開催").check();
    const costs: [string, string, string][] = [
      ["講師謝金", "shared", "300000"],
      ["旅費", "shared", "60,000"],
      ["教材費", "per_head", "2000"],
    ];
    if (!noJs) {
      // The preview is an island: it listens to the form once it is running.
      await page.locator("#trial-result[data-live=true]").waitFor();
    }
    for (const [row, [label, kind, amount]] of costs.entries()) {
      const item = page.getByRole("group", { name: `費目${row + 1}` });
      await item.getByLabel("費目名").fill(label);
      await item.getByLabel("区分", { exact: true }).selectOption(kind);
      await item.getByLabel("金額").fill(amount);
    }
    const preview = page.locator("#trial-result");
    if (noJs) {
      // Worked out once by the server, for the figures the form had when it was drawn.
      await expect(preview).toContainText("試算の総額 0円");
    } else {
      // 360,000 yen among 3, 3 and 1 trainees: 154,286 + 154,286 + 51,428, plus
      // 2,000 yen of material each; worked out in the browser as it was typed.
      await expect(preview.getByRole("row", { name: /参加団体A/ })).toContainText("160,286円");
      await expect(preview.getByRole("row", { name: /参加団体C/ })).toContainText("53,428円");
      await page.getByRole("group", { name: "参加団体C" }).getByLabel("受講者数").fill("2");
      await expect(preview.getByRole("row", { name: /参加団体C/ })).toContainText("94,000円");
    }
    await press(page, "下書きとして登録", javaScriptEnabled);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(page.locator("#flash-message")).toContainText("下書きとして登録しました");
    await expect(page.locator("#training-sessions ~ .table-wrap table tbody tr")).toHaveCount(2);
    await expect(page.locator("#training-costs ~ .table-wrap table tbody tr")).toHaveCount(3);
    await expectAccessible(page, javaScriptEnabled);
    await press(page, "申込受付を開始する", javaScriptEnabled);
    await expect(page.locator("#flash-message")).toHaveText("申込受付を開始しました。");
    await signOut(page, javaScriptEnabled);

    await signIn(page, "miyake@renkei.example", javaScriptEnabled);
    await openCourse(page, title, javaScriptEnabled);
    await enrol(page, ["三宅 一郎"], javaScriptEnabled);
    await expect(page.locator("#flash-message")).toHaveText("1人の受講が決まりました。");
    await expect(page.locator("#training-enrolments ~ .table-wrap table")).toContainText("三宅 一郎");
    await expectAccessible(page, javaScriptEnabled);
    await signOut(page, javaScriptEnabled);

    await signIn(page, "naracity@renkei.example", javaScriptEnabled);
    await openCourse(page, title, javaScriptEnabled);
    await enrol(page, ["奈良 一郎", "奈良 二郎"], javaScriptEnabled);
    await expect(page.locator("#flash-message")).toHaveText("2人の受講が決まりました。");
    await expect(page.locator("#training-enrolments ~ .table-wrap table")).not.toContainText("三宅 一郎");
    await signOut(page, javaScriptEnabled);

    await signIn(page, "nara-admin@renkei.example", javaScriptEnabled);
    await openCourse(page, title, javaScriptEnabled);
    await press(page, "申込受付を終了する", javaScriptEnabled);
    const shares = page.locator("#training-shares ~ .table-wrap table");
    await expect(page.locator("#training-shares")).toHaveText("負担金(暫定)");
    await expect(shares.getByRole("row", { name: /三宅町/ })).toContainText("122,000円");
    await expectAccessible(page, javaScriptEnabled);
    if (!noJs) {
      // The course's form previews among the real towns as the figures change.
      await page.getByRole("link", { name: /研修の内容・日程・経費・按分方法を変更する/ }).click();
      await settle(page, javaScriptEnabled);
      await page.locator("#trial-result[data-live=true]").waitFor();
      const real = page.locator("#trial-result");
      await expect(real.getByRole("row", { name: /三宅町/ })).toContainText("122,000円");
      await page.getByRole("group", { name: "費目2" }).getByLabel("金額").fill("90000");
      await expect(real.getByRole("row", { name: /三宅町/ })).toContainText("132,000円");
      await expect(real.getByRole("row", { name: /奈良市/ })).toContainText("264,000円");
      await expectAccessible(page, javaScriptEnabled);
      await page.goBack();
      await settle(page, javaScriptEnabled);
    }
    await page.getByLabel("いまの按分で負担金を確定します(確定後は変更できません)").check();
    await press(page, "負担金を確定する", javaScriptEnabled);
    await expect(page.locator("#flash-message")).toContainText("負担金を確定しました(総額366,000円)");
    await expect(page.locator("#training-shares")).toHaveText("負担金(確定)");
    await signOut(page, javaScriptEnabled);

    await signIn(page, "miyake@renkei.example", javaScriptEnabled);
    await openCourse(page, title, javaScriptEnabled);
    await page.getByRole("link", { name: "負担金のお知らせを表示・印刷する" }).click();
    await settle(page, javaScriptEnabled);
    const sheets = page.locator(".notice-sheet");
    await expect(sheets).toHaveCount(1);
    // 360,000 yen shared 1 : 2 gives 120,000; plus 2,000 yen of material.
    await expect(sheets).toContainText("三宅町 様");
    await expect(sheets.locator(".notice-sheet__amount")).toContainText("122,000円");
    await expect(sheets).toContainText("全団体の受講者数");
    await expectAccessible(page, javaScriptEnabled);

    await expect(page.getByRole("button", { name: "印刷する" })).toHaveCount(noJs ? 0 : 1);
    await page.emulateMedia({ media: "print" });
    await expect(page.locator(".site-header")).toBeHidden();
    await expect(page.getByText("ブラウザの印刷機能")).toBeHidden();
    await expect(sheets.locator(".notice-sheet__amount")).toBeVisible();
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    await page.emulateMedia({ media: "screen" });

    expect(problems).toEqual([]);
  });
});
