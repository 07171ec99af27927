import { test, expect, expectAccessible, settle } from "./fixtures";

test.describe("case library", () => {
  test("lists 39 cases, twenty on the first page", async ({ page, problems, javaScriptEnabled }) => {
    await page.goto("/cases");
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { level: 1, name: "事例ライブラリ" })).toBeVisible();
    await expect(page.locator(".result-count")).toContainText("39件中 1〜20件目");
    await expect(page.locator(".case-item")).toHaveCount(20);
    await expectAccessible(page, javaScriptEnabled);
    void problems;
  });

  test("filters by prefecture and opens the case with its contact", async ({ page, problems, javaScriptEnabled }) => {
    await page.goto("/cases");
    await settle(page, javaScriptEnabled);
    await page.getByLabel("都道府県").selectOption({ label: "新潟県 (1)" });
    await page.getByRole("button", { name: "検索" }).click();
    await expect(page).toHaveURL(/prefecture=%E6%96%B0%E6%BD%9F%E7%9C%8C/);
    await expect(page.locator(".case-item")).toHaveCount(1);
    await expect(page.locator(".result-count")).toContainText("1件中");

    await page.getByRole("link", { name: "県を中心とした広域的な研修の開催" }).click();
    await expect(page).toHaveURL(/\/cases\/niigata-pref-joint-training(\?.*)?$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("県を中心とした広域的な研修の開催");
    await expect(page.getByRole("heading", { name: "問い合わせ先" })).toBeVisible();
    await expect(page.getByRole("link", { name: "025-280-5337" })).toHaveAttribute("href", "tel:025-280-5337");
    await expect(page.getByRole("link", { name: "ngt010030@pref.niigata.lg.jp" })).toBeVisible();
    await expect(page).toHaveTitle(/県を中心とした広域的な研修の開催/);
    await expectAccessible(page, javaScriptEnabled);
    void problems;
  });

  test("can be searched with the keyboard alone", async ({ page, problems, javaScriptEnabled }) => {
    await page.goto("/cases");
    await settle(page, javaScriptEnabled);
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "本文へスキップ" })).toBeFocused();
    await page.getByLabel("キーワード").focus();
    await page.keyboard.type("ITパスポート");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/q=IT/);
    await expect(page.locator(".result-count")).toContainText("件中");
    const titles = await page.locator(".case-item__title").allTextContents();
    expect(titles.length).toBeGreaterThanOrEqual(3);
    expect(titles.join("")).toContain("ITパスポート");
    void problems;
  });

  test("ignores a bad filter value and says so", async ({ page, problems, javaScriptEnabled }) => {
    await page.goto("/cases?org_kind=castle");
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("status").filter({ hasText: "castle" })).toBeVisible();
    await expect(page.locator(".result-count")).toContainText("39件中");
    await expectAccessible(page, javaScriptEnabled);
    void problems;
  });

  test("answers an unknown case with a Japanese 404 page", async ({ page, problems, javaScriptEnabled }) => {
    const response = await page.goto("/cases/no-such-case");
    expect(response?.status()).toBe(404);
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("ページが見つかりません");
    await expectAccessible(page, javaScriptEnabled);
    void problems;
  });

  test("finds a case from half-width katakana and highlights the words", async ({ page, problems, javaScriptEnabled }) => {
    await page.goto("/cases");
    await settle(page, javaScriptEnabled);
    await page.getByLabel("キーワード").fill("ﾛｼﾞｯｸﾓﾃﾞﾙ");
    await page.getByRole("button", { name: "検索" }).click();
    await expect(page).toHaveURL(/q=/);
    const first = page.locator(".case-item").first();
    await expect(first.locator(".case-item__title")).toHaveText("ロジックモデルを活用した人材育成の取組");
    await expect(first.locator("mark").first()).toHaveText("ロジックモデル");
    await expectAccessible(page, javaScriptEnabled);
    void problems;
  });

  test("offers ways out when nothing is found", async ({ page, problems, javaScriptEnabled }) => {
    await page.goto("/cases?q=" + encodeURIComponent("宇宙飛行士") + "&prefecture=" + encodeURIComponent("高知県"));
    await settle(page, javaScriptEnabled);
    await expect(page.locator(".result-count")).toHaveText("条件に合う事例はありません。");
    await page.getByRole("link", { name: "キーワードを外す" }).click();
    await expect(page.locator(".result-count")).toContainText("1件中");
    await expect(page.locator(".case-item__title")).toHaveText("職員自らがデジタル化を進める力を付けることを重視");
    void problems;
  });

  test("offers the word a misspelt query resembles", async ({ page, problems, javaScriptEnabled }) => {
    await page.goto("/cases?q=" + encodeURIComponent("エンゲージメソト"));
    await settle(page, javaScriptEnabled);
    await expect(page.locator(".result-count")).toHaveText("条件に合う事例はありません。");
    await expect(page.locator(".spelling")).toContainText("もしかして");
    await expectAccessible(page, javaScriptEnabled);
    await page.locator(".spelling").getByRole("link", { name: "エンゲージメント", exact: true }).click();
    await expect(page).toHaveURL(/q=%E3%82%A8%E3%83%B3%E3%82%B2%E3%83%BC%E3%82%B8%E3%83%A1%E3%83%B3%E3%83%88/);
    await expect(
      page.locator(".case-item__title", { hasText: "マネジメント層を巻き込んだ職員の意識改革" }),
    ).toBeVisible();
    void problems;
  });

  test("pages through the list", async ({ page, problems, javaScriptEnabled }) => {
    await page.goto("/cases");
    await settle(page, javaScriptEnabled);
    await page.getByRole("navigation", { name: "ページ送り" }).getByRole("link", { name: "次へ" }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(page.locator(".result-count")).toContainText("39件中 21〜39件目");
    await expect(page.locator(".case-item")).toHaveCount(19);
    void problems;
  });
});

test("the home page is accessible and links to the case library", async ({ page, problems, javaScriptEnabled }) => {
  await page.goto("/");
  await settle(page, javaScriptEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("県・市町村連携ポータル");
  await expectAccessible(page, javaScriptEnabled);
  await page.getByRole("main").getByRole("link", { name: "事例ライブラリ" }).click();
  await expect(page).toHaveURL(/\/cases$/);
  void problems;
});

test("the skip link moves the keyboard into the content", async ({ page, problems, javaScriptEnabled }) => {
  await page.goto("/cases");
  await settle(page, javaScriptEnabled);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "本文へスキップ" })).toBeFocused();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  // The next stop is inside main, not the site title in the header.
  const inMain = await page.evaluate(() => document.querySelector("main")?.contains(document.activeElement) ?? false);
  expect(inMain).toBe(true);
  void problems;
});
