import { test, expect, expectAccessible, settle } from "./fixtures";
import { request, type APIRequestContext, type Page } from "@playwright/test";

const PASSWORD = "demo-pass-2026";

/** A signed-in API client: the JSON API is what scripts and other systems use. */
async function apiAs(baseURL: string, email: string): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL });
  const response = await api.post("/api/session", { data: { email, password: PASSWORD } });
  expect(response.status(), `sign in as ${email}`).toBe(200);
  return api;
}

async function signIn(page: Page, email: string, javaScriptEnabled: boolean | undefined) {
  await page.goto("/login");
  await settle(page, javaScriptEnabled);
  await page.getByLabel("メールアドレス").fill(email);
  await page.getByLabel("パスワード").fill(PASSWORD);
  await page.getByRole("button", { name: "ログイン" }).click();
  await settle(page, javaScriptEnabled);
}

test.describe("joint training", () => {
  test("a 県管理者's two-session course is enrolled, confirmed, and 三宅町 opens and prints its own notice", async ({ page, problems, javaScriptEnabled, baseURL }) => {
    const title = `自治体DX研修(${javaScriptEnabled === false ? "JSなし" : "JSあり"})`;
    const admin = await apiAs(baseURL!, "nara-admin@renkei.example");
    const created = await admin.post("/api/trainings", {
      data: {
        title,
        target: "DX推進リーダー",
        capacity: 20,
        sessions: [
          { starts_at: "2027-02-10T13:30", ends_at: "2027-02-10T16:30", place: "奈良県庁 会議室", online: false },
          { starts_at: "2027-02-17T13:30", ends_at: "2027-02-17T16:30", place: "", online: true },
        ],
        costs: [
          { label: "講師謝金", amount: 300000, kind: "shared" },
          { label: "旅費", amount: 60000, kind: "shared" },
          { label: "教材費", unit_price: 2000, kind: "per_head" },
        ],
        split: { method: "headcount", basis: "enrolled", include_organiser: false, remainder: "largest_remainder" },
      },
    });
    expect(created.status()).toBe(201);
    const { id } = await created.json();
    expect((await admin.post(`/api/trainings/${id}/open`, { data: {} })).status()).toBe(200);

    const miyake = await apiAs(baseURL!, "miyake@renkei.example");
    const naraCity = await apiAs(baseURL!, "naracity@renkei.example");
    const staff = (names: string[]) => ({ data: { staff: names.map((name) => ({ name, position: "主事" })) } });
    expect((await miyake.post(`/api/trainings/${id}/enrolments`, staff(["三宅 一郎"]))).status()).toBe(201);
    expect((await naraCity.post(`/api/trainings/${id}/enrolments`, staff(["奈良 一郎", "奈良 二郎"]))).status()).toBe(201);
    expect((await admin.post(`/api/trainings/${id}/close`, { data: {} })).status()).toBe(200);
    expect((await admin.post(`/api/trainings/${id}/confirm`, { data: {} })).status()).toBe(200);

    await signIn(page, "miyake@renkei.example", javaScriptEnabled);
    await page.getByRole("link", { name: "共同研修" }).first().click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("共同研修");
    await expectAccessible(page, javaScriptEnabled);
    await page.getByRole("link", { name: title }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(page.locator("#training-sessions ~ table tbody tr")).toHaveCount(2);
    await expect(page.locator("#training-enrolments ~ table")).toContainText("三宅 一郎");
    await expect(page.locator("#training-enrolments ~ table")).not.toContainText("奈良 一郎");
    await expectAccessible(page, javaScriptEnabled);

    await page.getByRole("link", { name: "負担金のお知らせを表示・印刷する" }).click();
    await settle(page, javaScriptEnabled);
    const sheets = page.locator(".notice-sheet");
    await expect(sheets).toHaveCount(1);
    // 360,000 yen shared 1 : 2 gives 120,000; plus 2,000 yen of material.
    await expect(sheets).toContainText("三宅町 様");
    await expect(sheets.locator(".notice-sheet__amount")).toContainText("122,000円");
    await expect(sheets).toContainText("全団体の受講者数");
    await expectAccessible(page, javaScriptEnabled);

    await expect(page.getByRole("button", { name: "印刷する" })).toHaveCount(javaScriptEnabled === false ? 0 : 1);
    await page.emulateMedia({ media: "print" });
    await expect(page.locator(".site-header")).toBeHidden();
    await expect(page.getByText("ブラウザの印刷機能")).toBeHidden();
    await expect(sheets.locator(".notice-sheet__amount")).toBeVisible();
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    await page.emulateMedia({ media: "screen" });

    await Promise.all([admin.dispose(), miyake.dispose(), naraCity.dispose()]);
    expect(problems).toEqual([]);
  });
});
