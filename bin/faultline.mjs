#!/usr/bin/env node
// The `faultline` command. Plain JavaScript so `npx faultline` runs with no build step. It runs
// cli/main.ts bundled by esbuild (a dependency), with the packages it uses, into one CommonJS script
// in node_modules/.cache/faultline, rebuilt when a source file it was built from (or the installed
// packages) changes. The script is compiled with V8's code cache, kept beside it: a command starts
// in about a tenth of a second of CPU, where loading the packages as separate modules and compiling
// everything afresh took three (docs/simulator.md, "Measured"). Without esbuild it falls back to
// tsx's TypeScript loader.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import vm from "node:vm";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = path.join(root, "node_modules", ".cache", "faultline");
const manifestPath = path.join(cacheDir, "cli.json");
const bundlePath = path.join(cacheDir, "cli.cjs");
/** Installing or upgrading packages rewrites these: the bundle holds the packages' code, so it is rebuilt (and when this file, which builds it, changes). */
const PACKAGE_STAMPS = ["package-lock.json", path.join("node_modules", ".package-lock.json")];
const THIS_FILE = path.relative(root, fileURLToPath(import.meta.url));

/** The cached bundle's build id, when every file it was built from is unchanged. */
function cachedBuild() {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    for (const [file, [mtimeMs, size]] of Object.entries(manifest.inputs)) {
      const st = statSync(path.join(root, file));
      if (st.mtimeMs !== mtimeMs || st.size !== size) return null;
    }
    return typeof manifest.build === "string" && existsSync(bundlePath) ? manifest.build : null;
  } catch {
    return null;
  }
}

/** Builds the bundle beside the cache under a name of this process, then renames it into place, so
 * two commands started at once never read a half-written file. Returns the new build's id. */
async function buildBundle() {
  const esbuild = await import("esbuild");
  const tmp = `${bundlePath}.${process.pid}.tmp`;
  const result = await esbuild.build({
    entryPoints: [path.join(root, "cli/main.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: tmp,
    metafile: true,
    logLevel: "silent",
    // import() becomes require(): a function compiled from V8's code cache has no callback for import().
    supported: { "dynamic-import": false },
    define: {
      // The runner finds its worker thread's source by this folder, not by the bundle's own URL.
      __FAULTLINE_RUNNER_DIR__: JSON.stringify(path.join(root, "server", "runner")),
      // Modules that resolve packages from their own location resolve them from the bundle's.
      "import.meta.url": JSON.stringify(pathToFileURL(bundlePath).href),
    },
  });
  const inputs = {};
  for (const file of [...Object.keys(result.metafile.inputs), ...PACKAGE_STAMPS, THIS_FILE]) {
    const abs = path.resolve(root, file);
    if (abs.includes(`${path.sep}node_modules${path.sep}`) && !PACKAGE_STAMPS.includes(path.relative(root, abs))) continue;
    if (!existsSync(abs)) continue;
    const st = statSync(abs);
    inputs[path.relative(root, abs)] = [st.mtimeMs, st.size];
  }
  const build = `${Date.now().toString(36)}-${process.pid}`;
  renameSync(tmp, bundlePath);
  writeFileSync(`${manifestPath}.${process.pid}.tmp`, JSON.stringify({ build, inputs }));
  renameSync(`${manifestPath}.${process.pid}.tmp`, manifestPath);
  return build;
}

/** Old code caches (of earlier builds, or of the ESM bundle this command used to write) go. */
function removeStaleCaches(keep) {
  try {
    for (const name of readdirSync(cacheDir)) {
      if ((name.startsWith("cli-") && name.endsWith(".v8cache") && name !== keep) || name === "cli.mjs") unlinkSync(path.join(cacheDir, name));
    }
  } catch {
    // another command removed it first
  }
}

/**
 * Compiles and evaluates the bundle with V8's code cache of this build (made after the first
 * command, once the functions it ran were compiled too, and written only when missing or refused).
 * The cache's name carries the build id: V8 checks a cache against the source's length, not its text.
 */
function loadBundle(build) {
  const cachePath = path.join(cacheDir, `cli-${build}.v8cache`);
  let cachedData;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined;
  }
  const source = readFileSync(bundlePath, "utf8");
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundlePath,
    cachedData,
  });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundlePath), module, bundlePath, cacheDir);
  const saveCache = () => {
    if (cachedData !== undefined && !script.cachedDataRejected) return;
    try {
      const tmp = `${cachePath}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cachePath);
      removeStaleCaches(path.basename(cachePath));
    } catch {
      // a cache is an optimisation only
    }
  };
  return { main: module.exports.main, saveCache };
}

async function loadMain() {
  let build = null;
  try {
    build = cachedBuild() ?? (mkdirSync(cacheDir, { recursive: true }), await buildBundle());
  } catch {
    build = null;
  }
  if (build !== null) {
    try {
      return loadBundle(build);
    } catch {
      // fall back to the loader below
    }
  }
  const { register } = await import("tsx/esm/api");
  register();
  return { main: (await import(new URL("../cli/main.ts", import.meta.url).href)).main, saveCache: () => {} };
}

const { main, saveCache } = await loadMain();
process.exitCode = await main(process.argv.slice(2));
saveCache();
