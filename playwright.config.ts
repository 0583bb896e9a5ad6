// Browser tests in Debian's Chromium (Playwright cannot download its own browser here; it is
// installed when missing, see scripts/e2e/ensure-chromium.mjs).
// The web server is the real thing: `npm start`'s launcher on port 3100 with a fresh
// SQLite database, the web app built for production, and a queue worker.
import { defineConfig } from "@playwright/test";
import { ensureChromium } from "./scripts/e2e/ensure-chromium.mjs";

// Installs Debian's Chromium first when it is missing (root and apt-get), or stops saying how.
const chromiumPath = ensureChromium();

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${PORT}`;

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: process.env.E2E_OUTPUT_DIR ?? "test-results",
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--disable-dev-shm-usage",
      ],
    },
  },
  webServer: {
    command: "node --import tsx scripts/start.ts --reset",
    url: `${baseURL}/api/health`,
    reuseExistingServer: !process.env.CI,
    // Building the app on a busy 2-core machine can take several minutes.
    timeout: 900_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      DATABASE_URL: `file:./data/e2e-${PORT}.db`,
      NEXTAUTH_URL: baseURL,
      WORKER_POLL_MS: "100",
      // npm test type-checks before the browser tests: the build need not do it again.
      FAULTLINE_BUILD_SKIP_TYPECHECK: "1",
      WORKER_LEASE_MS: "5000",
      // Every test signs up its own accounts, all from this machine's address.
      SIGN_UPS_PER_ADDRESS_PER_HOUR: "10000",
    },
  },
});
