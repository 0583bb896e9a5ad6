// The browser tests need Debian's Chromium (Playwright cannot download its own browser on these
// machines). Called by `npm run test:e2e` and by playwright.config.ts: when the browser at
// CHROMIUM_PATH (default /usr/bin/chromium) is missing and this runs as root where apt-get
// exists, it installs the chromium package (about a minute); otherwise it stops with what to do.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";

/** Returns the browser's path, installing it first when it is missing and that is possible; throws otherwise. */
export function ensureChromium(log = (line) => console.log(line)) {
  const target = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;
  if (existsSync(target)) return target;
  const manual = `Install it with: sudo apt-get install -y chromium (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary.`;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const apt = spawnSync("sh", ["-c", "command -v apt-get"], { encoding: "utf8" }).status === 0;
  if (!root || !apt) {
    throw new Error(`The browser tests need Chromium at ${target}, and it is not there. ${root ? "apt-get is not available here." : "Installing it needs root."} ${manual}`);
  }
  log(`[e2e] Chromium is not at ${target}: installing Debian's chromium package (apt-get install -y chromium)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () => spawnSync("apt-get", ["install", "-y", "chromium"], { stdio: "inherit", env }).status === 0;
  // A fresh machine's package lists may be empty or stale: update once and try again.
  if (!install() && !(spawnSync("apt-get", ["update"], { stdio: "inherit", env }).status === 0 && install())) {
    throw new Error(`Installing chromium with apt-get failed (see its output above). ${manual}`);
  }
  if (!existsSync(target)) throw new Error(`apt-get installed chromium, but there is still nothing at ${target}. Set CHROMIUM_PATH to where it is.`);
  log(`[e2e] Chromium installed at ${target}.`);
  return target;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensureChromium();
  } catch (err) {
    console.error(`[e2e] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
