import { test as base, expect, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

/** Console errors and warnings, uncaught exceptions and failed requests of a page. */
export type Problems = string[];

export const test = base.extend<{ problems: Problems }>({
  problems: async ({ page }, use) => {
    const problems: Problems = [];
    const expected404 = new Set<string>();
    page.on("console", (msg) => {
      if (msg.type() !== "error" && msg.type() !== "warning") return;
      // Chromium reports a 404 document as a failed resource; a test that asked
      // for a 404 page asserts that status itself.
      if (msg.text().includes("status of 404") && expected404.has(msg.location().url)) return;
      problems.push(`console.${msg.type()}: ${msg.text()}`);
    });
    page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
    page.on("requestfailed", (req) => problems.push(`requestfailed: ${req.url()} ${req.failure()?.errorText}`));
    page.on("response", (res) => {
      if (res.status() === 404 && res.request().resourceType() === "document") {
        expected404.add(res.url());
      } else if (res.status() >= 400) {
        problems.push(`HTTP ${res.status()}: ${res.url()}`);
      }
    });
    await use(problems);
    expect(problems, "browser console must stay clean").toEqual([]);
  },
});

export { expect };

/** Fails on serious or critical accessibility violations. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    "axe-core serious/critical violations",
  ).toEqual([]);
}

/** Waits until the page is hydrated (JavaScript on) or simply loaded (off). */
export async function settle(page: Page, javaScriptEnabled: boolean | undefined) {
  await page.waitForLoadState("load");
  if (javaScriptEnabled !== false) {
    await page.locator("html[data-hydrated=true]").waitFor({ state: "attached" });
  }
}
