import { defineConfig, devices } from "@playwright/test";

// The server under test: started by `webServer` below unless E2E_BASE_URL points
// at one already running.
const PORT = Number(process.env.E2E_PORT ?? 3100);
const BASE = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${PORT}`;

const chromium = {
  // Debian's Chromium; Playwright never downloads a browser here.
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "./tests",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  reporter: [["list"]],
  use: {
    baseURL: BASE,
    trace: "retain-on-failure",
    locale: "ja-JP",
    launchOptions: chromium,
  },
  projects: [
    { name: "with-js", use: { ...devices["Desktop Chrome"], javaScriptEnabled: true } },
    { name: "without-js", use: { ...devices["Desktop Chrome"], javaScriptEnabled: false } },
  ],
  webServer: process.env.E2E_BASE_URL
    ? undefined
    : {
        command: `bash ../scripts/e2e-server.sh ${PORT}`,
        url: `${BASE}/healthz`,
        reuseExistingServer: false,
        timeout: 120_000,
        stdout: "ignore",
        stderr: "pipe",
      },
});
