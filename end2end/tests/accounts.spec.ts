import { test, expect, expectAccessible, settle } from "./fixtures";
import type { Page } from "@playwright/test";

const PASSWORD = "demo-pass-2026";

async function signIn(page: Page, email: string, javaScriptEnabled: boolean | undefined) {
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill(PASSWORD);
  await page.getByRole("button", { name: "ログイン" }).click();
  await settle(page, javaScriptEnabled);
}

test.describe("accounts and scope", () => {
  test("三宅町's user signs in, sees 三宅町's home and cannot open 奈良市's page by URL", async ({ page, problems, javaScriptEnabled }) => {
    await page.goto("/login");
    await settle(page, javaScriptEnabled);
    await expectAccessible(page, javaScriptEnabled);
    await signIn(page, "miyake@renkei.example", javaScriptEnabled);

    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("三宅町のホーム");
    const header = page.locator("header");
    await expect(header).toContainText("三宅 町子 さん");
    await expect(header).toContainText("三宅町 市町村職員");
    await expect(page.getByRole("link", { name: "アカウント管理" })).toHaveCount(0);
    await expectAccessible(page, javaScriptEnabled);

    const response = await page.goto("/municipalities/292010");
    expect(response?.status()).toBe(403);
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("alert")).toContainText("権限がありません");
    await expect(page.locator("main")).not.toContainText("naracity@renkei.example");

    const own = await page.goto("/municipalities/293628");
    expect(own?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("三宅町のホーム");

    await page.getByRole("button", { name: "ログアウト" }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("status").filter({ hasText: "ログアウトしました。" })).toBeVisible();
    await expect(page.getByRole("link", { name: "ログイン" }).first()).toBeVisible();
    expect(problems).toEqual([]);
  });

  test("a private page asks for sign-in and then returns to it", async ({ page, problems, javaScriptEnabled }) => {
    await page.goto("/admin/accounts?status=active");
    await settle(page, javaScriptEnabled);
    await expect(page).toHaveURL(/\/login\?next=/);
    await signIn(page, "nara-admin@renkei.example", javaScriptEnabled);
    await expect(page).toHaveURL(/\/admin\/accounts\?status=active$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("アカウント管理");
    await expect(page.locator("table")).toContainText("miyake@renkei.example");
    await expect(page.locator("table")).not.toContainText("kochicity@renkei.example");
    await expectAccessible(page, javaScriptEnabled);
    expect(problems).toEqual([]);
  });

  test("a 県管理者 creates an account, keeps the typed values after an error, and sees it in the audit log", async ({ page, problems, javaScriptEnabled }) => {
    const suffix = javaScriptEnabled === false ? "nojs" : "js";
    await page.goto("/login");
    await settle(page, javaScriptEnabled);
    await signIn(page, "nara-admin@renkei.example", javaScriptEnabled);

    await page.goto("/admin/accounts/new");
    await settle(page, javaScriptEnabled);
    await expectAccessible(page, javaScriptEnabled);
    await page.getByLabel("メールアドレス").fill(`kashiba-${suffix}@renkei.example`);
    await page.getByLabel("氏名").fill("香芝 太郎");
    await page.getByLabel("役割").selectOption("muni_staff");
    await page.getByLabel("所属する市町村").selectOption({ label: "香芝市" });
    await page.getByLabel("初期パスワード").fill("short");
    // The browser's own minlength check would stop the post; the server's is the one tested.
    await page.locator("form.form-card").evaluate((form) => form.setAttribute("novalidate", ""));
    await page.getByRole("button", { name: "作成する" }).click();
    await settle(page, javaScriptEnabled);

    await expect(page).toHaveURL(/\/admin\/accounts\/new$/);
    await expect(page.getByRole("alert")).toContainText("パスワードは12文字以上");
    await expect(page.getByLabel("氏名")).toHaveValue("香芝 太郎");
    await expect(page.getByLabel("所属する市町村")).toHaveValue("292109");
    await expect(page.getByLabel("初期パスワード")).toHaveAttribute("aria-invalid", "true");

    await page.getByLabel("初期パスワード").fill("kashiba-pass-2026");
    await page.getByRole("button", { name: "作成する" }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("香芝 太郎");
    await expect(page.getByRole("status").filter({ hasText: "アカウントを作成しました" })).toBeVisible();

    await page.goto("/admin/audit?action=account_created");
    await settle(page, javaScriptEnabled);
    await expect(page.locator("table")).toContainText(`kashiba-${suffix}@renkei.example`);
    await expectAccessible(page, javaScriptEnabled);
    expect(problems).toEqual([]);
  });

  test("a 県管理者 deactivates and reactivates an account from its page", async ({ page, problems, javaScriptEnabled }) => {
    await page.goto("/login");
    await settle(page, javaScriptEnabled);
    await signIn(page, "nara-admin@renkei.example", javaScriptEnabled);
    await page.goto("/admin/accounts?municipality=292010");
    await settle(page, javaScriptEnabled);
    await page.getByRole("link", { name: "奈良市 担当" }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("奈良市 担当");
    await expectAccessible(page, javaScriptEnabled);

    // Not without the tick: the browser asks for it and nothing changes.
    await page.getByRole("button", { name: "このアカウントを停止する" }).click();
    await expect(page.locator(".facts")).toContainText("利用中");
    await page.getByRole("checkbox", { name: /アカウントを停止します/ }).check();
    await page.getByRole("button", { name: "このアカウントを停止する" }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("status").filter({ hasText: "アカウントを停止し" })).toBeVisible();
    await expect(page.locator(".facts")).toContainText("停止中");

    await page.getByRole("button", { name: "利用を再開する" }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("status").filter({ hasText: "利用を再開しました" })).toBeVisible();
    await expect(page.locator(".facts")).toContainText("利用中");
    expect(problems).toEqual([]);
  });
});
