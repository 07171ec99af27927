import { test, expect, expectAccessible, settle } from "./fixtures";
import type { Page } from "@playwright/test";

async function signIn(page: Page, email: string, javaScriptEnabled: boolean | undefined) {
  await page.goto("/login");
  await settle(page, javaScriptEnabled);
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill("demo-pass-2026");
  await page.getByRole("button", { name: "ログイン" }).click();
  await settle(page, javaScriptEnabled);
}

test.describe("デジタル人材バンク", () => {
  test("三宅町's user searches セキュリティ online and sees a profile's contact details; signed out, the profile hides them", async ({ page, problems, javaScriptEnabled }) => {
    await signIn(page, "miyake@renkei.example", javaScriptEnabled);
    await page.goto("/advisors");
    await settle(page, javaScriptEnabled);
    await expectAccessible(page, javaScriptEnabled);

    await page.getByLabel("キーワード").fill("セキュリティ");
    await page.getByLabel("対応方法").selectOption("online");
    await page.getByRole("button", { name: "検索" }).click();
    await settle(page, javaScriptEnabled);

    await expect(page).toHaveURL(/q=%E3%82%BB/);
    await expect(page).toHaveURL(/mode=online/);
    const items = page.locator(".case-item");
    await expect(items.first()).toBeVisible();
    const count = await items.count();
    for (let i = 0; i < count; i++) {
      await expect(items.nth(i)).toContainText("オンライン");
    }
    await expect(page.locator(".case-item mark").first()).toHaveText("セキュリティ");
    await expectAccessible(page, javaScriptEnabled);

    const first = items.first().getByRole("link");
    const name = (await first.textContent()) ?? "";
    await first.click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
    await expect(page.getByRole("heading", { name: "連絡先と対応可能な時期" })).toBeVisible();
    await expect(page.locator("main")).toContainText("@bank.renkei.example");
    await expectAccessible(page, javaScriptEnabled);
    const profileUrl = page.url();

    await page.getByRole("button", { name: "ログアウト" }).click();
    await settle(page, javaScriptEnabled);
    await page.goto(profileUrl);
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
    await expect(page.locator("main")).not.toContainText("@bank.renkei.example");
    await expect(page.getByRole("status").filter({ hasText: "ログインすると表示されます" })).toBeVisible();
    expect(problems).toEqual([]);
  });
});
