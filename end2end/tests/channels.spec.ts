import { test, expect, expectAccessible, settle, signIn } from "./fixtures";

test.describe("channels", () => {
  test("naracity posts in 奈良県's open channel and miyake's open page shows it without reloading", async ({ page, browser, problems, javaScriptEnabled }) => {
    test.setTimeout(90_000);
    const noJs = javaScriptEnabled === false;
    const text = `窓口DXの手順書を共有します(${noJs ? "JSなし" : "JSあり"} ${Date.now()})`;

    // miyake opens the channel from the list.
    await signIn(page, "miyake@renkei.example", javaScriptEnabled);
    await page.goto("/channels");
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("link", { name: "生成AI分科会" })).toHaveCount(0);
    await page.getByRole("link", { name: "デジならチャット(全体)" }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("デジならチャット(全体)");
    await expectAccessible(page, javaScriptEnabled);
    const channelUrl = page.url();

    // naracity, in another browser, posts there.
    const other = await browser.newContext({ javaScriptEnabled, locale: "ja-JP" });
    const naracity = await other.newPage();
    await signIn(naracity, "naracity@renkei.example", javaScriptEnabled);
    await naracity.goto(channelUrl);
    await settle(naracity, javaScriptEnabled);
    await naracity.getByLabel("本文", { exact: true }).fill(`@三宅町 ${text}`);
    await naracity.getByRole("button", { name: "投稿する", exact: true }).click();
    await settle(naracity, javaScriptEnabled);
    await expect(naracity.locator("#flash-message")).toContainText("投稿しました");
    await other.close();

    if (noJs) {
      // Without JavaScript the page is read again with its link.
      await page.getByRole("link", { name: "最新の投稿を読み込む" }).click();
      await settle(page, javaScriptEnabled);
    }
    const arrived = page.locator(".post", { hasText: text });
    await expect(arrived).toBeVisible({ timeout: noJs ? 5_000 : 1_000 });
    await expect(arrived.locator(".mention")).toHaveText("@三宅町");

    // miyake replies in the thread.
    const thread = page.locator(".thread", { hasText: text });
    await thread.getByText("返信する", { exact: true }).first().click();
    await thread.getByLabel("返信").fill("ありがとうございます。参考にします。");
    await thread.getByRole("button", { name: "返信する" }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.locator("#flash-message")).toContainText("投稿しました");
    await expect(page.locator(".thread", { hasText: text }).locator(".replies")).toContainText("参考にします");
    await expectAccessible(page, javaScriptEnabled);

    // Search finds it, and nothing of the 分科会 miyake is not in.
    await page.goto("/channels");
    await settle(page, javaScriptEnabled);
    await page.getByRole("searchbox", { name: /投稿を検索/ }).fill("手順書");
    await page.getByRole("button", { name: "検索", exact: true }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.locator(".found-posts")).toContainText(text);
    await page.goto("/channels?q=" + encodeURIComponent("ガイドライン"));
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { name: "検索結果 0件" })).toBeVisible();
    await expectAccessible(page, javaScriptEnabled);
    expect(problems).toEqual([]);
  });
});
