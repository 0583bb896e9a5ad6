// `npm run test:e2e` on a fresh machine: the browser tests install Debian's Chromium when it is
// missing (scripts/e2e/ensure-chromium.mjs), or stop with what to do when they cannot.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "../helpers/db";

const SCRIPT = path.join(ROOT, "scripts/e2e/ensure-chromium.mjs");

/** A PATH holding only `sh` and, when given, a fake apt-get. */
function fakePath(aptGet?: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "fl-chromium-"));
  symlinkSync("/bin/sh", path.join(dir, "sh"));
  if (aptGet) {
    writeFileSync(path.join(dir, "apt-get"), `#!/bin/sh\n${aptGet}\n`);
    chmodSync(path.join(dir, "apt-get"), 0o755);
  }
  return dir;
}

function ensure(env: Record<string, string>) {
  return spawnSync(process.execPath, [SCRIPT], { encoding: "utf8", env: { HOME: os.tmpdir(), NODE_ENV: "test", ...env } });
}

describe.runIf(process.platform === "linux" && process.getuid?.() === 0)("the browser tests' Chromium", () => {
  it("is installed with apt-get when it is missing", () => {
    const browser = path.join(mkdtempSync(path.join(os.tmpdir(), "fl-browser-")), "chromium");
    const bin = fakePath(`[ "$1" = install ] && : > "$CHROMIUM_PATH"; exit 0`);
    const r = ensure({ PATH: bin, CHROMIUM_PATH: browser });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/installing Debian's chromium package/);
    expect(existsSync(browser)).toBe(true);
    rmSync(bin, { recursive: true });
  });

  it("is looked for again after updating the package lists when the first install fails", () => {
    const browser = path.join(mkdtempSync(path.join(os.tmpdir(), "fl-browser-")), "chromium");
    const bin = fakePath(`[ "$1" = update ] && : > "$CHROMIUM_PATH.updated"; [ "$1" = install ] && [ -e "$CHROMIUM_PATH.updated" ] && : > "$CHROMIUM_PATH" && exit 0; [ "$1" = update ] && exit 0; exit 100`);
    expect(ensure({ PATH: bin, CHROMIUM_PATH: browser }).status).toBe(0);
    expect(existsSync(browser)).toBe(true);
  });

  it("stops with what to do when it cannot be installed", () => {
    const r = ensure({ PATH: fakePath(), CHROMIUM_PATH: "/nonexistent/chromium" });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/need Chromium at \/nonexistent\/chromium.*apt-get is not available here.*apt-get install -y chromium/s);
  });

  it("does nothing when the browser is there", () => {
    const r = ensure({ PATH: fakePath(`exit 100`), CHROMIUM_PATH: process.execPath });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
  });
});
