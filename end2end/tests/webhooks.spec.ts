import { test, expect, expectAccessible, settle, signIn } from "./fixtures";

test.describe("webhooks", () => {
  test("nara-admin is refused an address inside the office network, registers a chat tool's URL and removes it", async ({ page, problems, javaScriptEnabled }) => {
    test.setTimeout(90_000);
    await signIn(page, "nara-admin@renkei.example", javaScriptEnabled);
    await page.goto("/admin/webhooks");
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Webhook(外部への通知)");
    await expectAccessible(page, javaScriptEnabled);

    await page.getByLabel("送り先の URL").fill("http://169.254.169.254/latest/meta-data/");
    await page.getByLabel("お知らせの送信").check();
    await page.getByRole("button", { name: "登録する" }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.locator("#flash-message")).toContainText("内部のアドレス");
    // What was typed stays, the chosen event too.
    await expect(page.getByLabel("送り先の URL")).toHaveValue("http://169.254.169.254/latest/meta-data/");
    await expect(page.getByLabel("お知らせの送信")).toBeChecked();
    await expectAccessible(page, javaScriptEnabled);

    const url = `https://8.8.8.8/hooks/${javaScriptEnabled === false ? "nojs" : "js"}-${Date.now()}`;
    await page.getByLabel("送り先の URL").fill(url);
    await page.getByRole("button", { name: "登録する" }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.locator("#flash-message")).toContainText("Webhook を登録しました");
    const hook = page.locator("section", { has: page.getByRole("heading", { name: url }) });
    await expect(hook).toContainText("notice.created");
    await expectAccessible(page, javaScriptEnabled);
    await hook.getByRole("button", { name: "この Webhook を削除" }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.locator("#flash-message")).toContainText("削除しました");
    await expect(page.getByRole("heading", { name: url })).toHaveCount(0);
    expect(problems).toEqual([]);
  });
});
