import { test, expect, expectAccessible, settle, signIn } from "./fixtures";

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

  test("三宅町's user describes a need and every advisor in the ranking says why it fits", async ({ page, problems, javaScriptEnabled }) => {
    await signIn(page, "miyake@renkei.example", javaScriptEnabled);
    await page.goto("/advisors");
    await settle(page, javaScriptEnabled);
    await page.getByRole("link", { name: /合うアドバイザーを探す/ }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("課題に合うアドバイザーを探す");
    await expectAccessible(page, javaScriptEnabled);

    await page.getByLabel("困っていること・相談したいこと").fill("セキュリティ");
    await expect(page.getByLabel("依頼する市町村")).toHaveValue("293628");
    await page.getByLabel("対応方法").selectOption("online");
    const start = new Date();
    const ym = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
    const later = new Date(start.getFullYear(), start.getMonth() + 3, 1);
    await page.getByLabel("希望時期(から)").fill(ym(start));
    await page.getByLabel("希望時期(まで)").fill(ym(later));
    await page.getByRole("button", { name: "探す" }).click();
    await settle(page, javaScriptEnabled);

    await expect(page).toHaveURL(/need=%E3%82%BB/);
    await expect(page).toHaveURL(/municipality=293628/);
    const items = page.locator(".match-item");
    await expect(items.first()).toBeVisible();
    const count = await items.count();
    expect(count).toBeGreaterThan(1);
    for (let i = 0; i < count; i++) {
      const reasons = items.nth(i).locator(".match-item__reasons li");
      expect(await reasons.count(), `advisor ${i + 1} explains itself`).toBeGreaterThan(0);
    }
    await expect(items.first()).toContainText("「セキュリティ」がプロフィールに含まれます");
    await expect(items.first()).toContainText("オンラインに対応しています");
    await expect(page.getByLabel("困っていること・相談したいこと")).toHaveValue("セキュリティ");
    await expectAccessible(page, javaScriptEnabled);

    await items.first().locator("h3 a").click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { name: "連絡先と対応可能な時期" })).toBeVisible();
    expect(problems).toEqual([]);
  });

  test("advisor1 changes the months they are available and the bank finds them by month at once", async ({ page, problems, javaScriptEnabled }) => {
    // The form offers this month and the next 17; each project moves the last two
    // in opposite directions, so the checks hold whichever project runs first.
    const now = new Date();
    const month = (offset: number) => new Date(now.getFullYear(), now.getMonth() + offset, 1);
    const label = (d: Date) => `${d.getFullYear()}年${d.getMonth() + 1}月`;
    const value = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
    const [on, off] = javaScriptEnabled === false ? [month(16), month(17)] : [month(17), month(16)];

    await signIn(page, "advisor1@renkei.example", javaScriptEnabled);
    await page.getByRole("link", { name: "プロフィールと対応可能な月を編集する" }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("プロフィールを編集");
    await expect(page.getByRole("heading", { name: "県が設定する項目" })).toBeVisible();
    await expect(page.getByLabel("氏名")).toHaveCount(0);
    await expectAccessible(page, javaScriptEnabled);
    await page.getByLabel(label(on), { exact: true }).check();
    await page.getByLabel(label(off), { exact: true }).uncheck();
    await page.getByRole("button", { name: "保存する" }).click();
    await settle(page, javaScriptEnabled);

    await expect(page).toHaveURL(/\/advisors\/1$/);
    await expect(page.getByRole("status").filter({ hasText: /保存しました|変更はありませんでした/ })).toBeVisible();
    const name = ((await page.getByRole("heading", { level: 1 }).textContent()) ?? "").replace(/\(.*\)$/, "").trim();
    await expect(page.locator("main")).toContainText(label(on));

    // Months are private to the bank's 県 and 市町村 staff: 奈良県's staff search by month.
    await page.context().clearCookies();
    await signIn(page, "nara-staff@renkei.example", javaScriptEnabled);
    const own = page.locator('.case-item a[href="/advisors/1"]');
    await page.goto(`/advisors?q=${encodeURIComponent(name)}&available=${value(on)}`);
    await settle(page, javaScriptEnabled);
    await expect(own).toHaveCount(1);
    await page.goto(`/advisors?q=${encodeURIComponent(name)}&available=${value(off)}`);
    await settle(page, javaScriptEnabled);
    await expect(page.locator(".result-count")).toBeVisible();
    await expect(own).toHaveCount(0);
    expect(problems).toEqual([]);
  });

  test("a 県管理者 registers an advisor, keeps what was typed after an error and publishes the profile", async ({ page, problems, javaScriptEnabled }) => {
    const who = javaScriptEnabled === false ? "架空 静香" : "架空 動太";
    const kana = javaScriptEnabled === false ? "かくう しずか" : "かくう どうた";
    await signIn(page, "nara-admin@renkei.example", javaScriptEnabled);
    await page.getByRole("link", { name: "人材バンク管理" }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("人材バンクの管理");
    await expectAccessible(page, javaScriptEnabled);
    await page.getByRole("link", { name: "アドバイザーを登録" }).click();
    await settle(page, javaScriptEnabled);
    await expectAccessible(page, javaScriptEnabled);

    await page.getByLabel("氏名").fill(who);
    await page.getByLabel("ふりがな").fill("漢字で入力");
    await page.getByLabel("所属").fill("架空まちづくり研究所");
    await page.getByLabel("任用・契約の形態").selectOption({ label: "民間" });
    await page.getByLabel("人材像").selectOption({ label: "DX推進リーダー" });
    await page.getByLabel("生成AI").check();
    await page.getByLabel("紹介").fill("生成AIの庁内活用ルールづくりを伴走します。");
    await page.getByRole("button", { name: "登録する" }).click();
    await settle(page, javaScriptEnabled);

    await expect(page).toHaveURL(/\/advisors\/new$/);
    await expect(page.locator("#f-kana-error")).toContainText("ひらがなかカタカナ");
    await expect(page.getByLabel("ふりがな")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("氏名")).toHaveValue(who);
    await expect(page.getByLabel("紹介")).toHaveValue("生成AIの庁内活用ルールづくりを伴走します。");
    await expect(page.getByLabel("生成AI")).toBeChecked();
    await expectAccessible(page, javaScriptEnabled);

    await page.getByLabel("ふりがな").fill(kana);
    await page.getByRole("button", { name: "登録する" }).click();
    await settle(page, javaScriptEnabled);
    await expect(page).toHaveURL(/\/advisors\/\d+\/edit$/);
    await expect(page.getByRole("status").filter({ hasText: "登録しました" })).toBeVisible();
    await page.getByRole("button", { name: "公開する" }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("status").filter({ hasText: "公開しました" })).toBeVisible();

    await page.goto(`/advisors?q=${encodeURIComponent("庁内活用ルールづくり")}`);
    await settle(page, javaScriptEnabled);
    await expect(page.locator(".case-item").filter({ hasText: who })).toHaveCount(1);
    expect(problems).toEqual([]);
  });

  test("a 県管理者 adds and renames a term of the prefecture's own, cannot change a shared one, and sees a bad CSV refused by line number", async ({ page, problems, javaScriptEnabled }) => {
    const suffix = javaScriptEnabled === false ? "静的" : "動的";
    const code = javaScriptEnabled === false ? "own_auto_nojs" : "own_auto_js";
    await signIn(page, "nara-admin@renkei.example", javaScriptEnabled);
    await page.goto("/admin/taxonomy");
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("人材バンクの分類");
    await expectAccessible(page, javaScriptEnabled);
    // Shared terms are every prefecture's: shown, not editable.
    await expect(page.getByLabel("rpa の名称")).toHaveCount(0);
    await expect(page.getByRole("row").filter({ hasText: "rpa" }).first()).toContainText("共通(変更不可)");

    await page.getByLabel("分類", { exact: true }).selectOption("specialty");
    await page.getByLabel("コード(半角英小文字・数字・_)").fill(code);
    await page.getByLabel("名称", { exact: true }).fill(`業務自動化(${suffix})`);
    await page.getByRole("button", { name: "追加する" }).click();
    await settle(page, javaScriptEnabled);
    const label = `業務自動化・改(${suffix})`;
    await page.getByLabel(`${code} の名称`).fill(label);
    await page.getByRole("button", { name: `${code} を保存` }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("status").filter({ hasText: `「${label}」を保存しました` })).toBeVisible();
    await expect(page.getByLabel(`${code} の名称`)).toHaveValue(label);

    await page.goto("/admin/advisors");
    await settle(page, javaScriptEnabled);
    const header = "ID,状態,氏名,ふりがな,所属,任用・契約の形態,人材像,役割,ITSSレベル,登録している制度,専門分野,資格,自治体業務の知識,紹介,実績,対応方法,県全域,担当地域,担当市町村,対応可能な月,メールアドレス,電話";
    const row = (jinzaizo: string) => `,公開中,架空 取込,かくう とりこみ,架空商会,民間,${jinzaizo},,,,,,,紹介,,オンライン,はい,,,,,`;
    const csv = `\ufeff${header}\r\n${row("高度専門人材")}\r\n${row("超人")}\r\n`;
    await page.getByLabel(/CSV を取り込む/).setInputFiles({ name: "bank.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf-8") });
    await page.getByRole("button", { name: "取り込む", exact: true }).click();
    await settle(page, javaScriptEnabled);
    await expect(page.getByRole("alert")).toContainText("bank.csv の 3 行目");
    await expect(page.getByRole("alert")).toContainText("人材像");
    await expect(page.getByRole("alert")).toContainText("変更していません");
    await expectAccessible(page, javaScriptEnabled);
    expect(problems).toEqual([]);
  });
});
