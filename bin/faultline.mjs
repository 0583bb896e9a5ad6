#!/usr/bin/env node
// The `faultline` command. Plain JavaScript so `npx faultline` runs with no build step. It runs
// cli/main.ts bundled by esbuild (a dependency) into node_modules/.cache/faultline, rebuilt when a
// source file it was built from changes; without esbuild it falls back to tsx's TypeScript loader.
// The bundle starts in a few tens of milliseconds where the loader takes a few hundred.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = path.join(root, "node_modules", ".cache", "faultline");
const manifestPath = path.join(cacheDir, "cli.json");
const bundlePath = path.join(cacheDir, "cli.mjs");

/** The cached bundle, when every file it was built from is unchanged. */
function cachedBundle() {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    for (const [file, [mtimeMs, size]] of Object.entries(manifest.inputs)) {
      const st = statSync(path.join(root, file));
      if (st.mtimeMs !== mtimeMs || st.size !== size) return null;
    }
    return existsSync(bundlePath) ? bundlePath : null;
  } catch {
    return null;
  }
}

/** Builds the bundle beside the cache under a name of this process, then renames it into place, so
 * two commands started at once never read a half-written file. */
async function buildBundle() {
  const esbuild = await import("esbuild");
  const tmp = `${bundlePath}.${process.pid}.tmp`;
  const result = await esbuild.build({
    entryPoints: [path.join(root, "cli/main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile: tmp,
    metafile: true,
    logLevel: "silent",
    // The runner finds its worker thread's source by this folder, not by the bundle's own URL.
    define: { __FAULTLINE_RUNNER_DIR__: JSON.stringify(path.join(root, "server", "runner")) },
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    const abs = path.resolve(root, file);
    if (abs.includes(`${path.sep}node_modules${path.sep}`)) continue;
    const st = statSync(abs);
    inputs[path.relative(root, abs)] = [st.mtimeMs, st.size];
  }
  renameSync(tmp, bundlePath);
  writeFileSync(`${manifestPath}.${process.pid}.tmp`, JSON.stringify({ inputs }));
  renameSync(`${manifestPath}.${process.pid}.tmp`, manifestPath);
  return bundlePath;
}

async function loadMain() {
  try {
    const bundle = cachedBundle() ?? (mkdirSync(cacheDir, { recursive: true }), await buildBundle());
    return (await import(pathToFileURL(bundle).href)).main;
  } catch {
    const { register } = await import("tsx/esm/api");
    register();
    return (await import(new URL("../cli/main.ts", import.meta.url).href)).main;
  }
}

const main = await loadMain();
process.exitCode = await main(process.argv.slice(2));
