// `npm start`: everything a fresh machine needs, in one command. Migrates the database
// (SQLite under data/ unless DATABASE_URL says otherwise), adds the demo account and
// scenarios, builds the web app when the sources changed, then runs the web server and
// a queue worker side by side until Ctrl-C. `npm run dev` does the same with `next dev`.
//   --dev     next dev instead of a production build
//   --reset   start from an empty database (only for a SQLite file under data/)
//   --web     the web server only, no worker (for machines that only serve pages)
// FAULTLINE_DEMO=0 skips the demo data.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureAuthSecret, migrateDatabase, root } from "./lib/prepare";

const dev = process.argv.includes("--dev");
const reset = process.argv.includes("--reset");
const webOnly = process.argv.includes("--web");
const port = process.env.PORT ?? "3000";
process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.DATABASE_URL ??= "file:./data/faultline.db";
process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
ensureAuthSecret();

if (reset) {
  const url = process.env.DATABASE_URL;
  const file = url.startsWith("file:") ? path.resolve(root, url.slice(5)) : null;
  if (!file || !file.startsWith(path.join(root, "data") + path.sep)) {
    console.error("--reset only removes a SQLite database under data/");
    process.exit(2);
  }
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
}

await migrateDatabase();
if (process.env.FAULTLINE_DEMO !== "0") {
  const { createDb } = await import("@/server/db/client");
  const { seedDemo } = await import("@/server/demo/seed");
  const db = createDb(process.env.DATABASE_URL);
  const { created } = await seedDemo(db);
  await db.$disconnect();
  if (created) console.log("demo: account demo@faultline.dev / faultline-demo with the template scenarios");
}

const next = path.join(root, "node_modules/next/dist/bin/next");
if (!dev) buildIfStale();

const children: ChildProcess[] = [];
let stopping = false;

function launch(name: string, args: string[], restart: boolean): void {
  const child = spawn(process.execPath, args, { cwd: root, stdio: "inherit", env: process.env });
  children.push(child);
  child.on("exit", (code, signal) => {
    children.splice(children.indexOf(child), 1);
    if (stopping) return;
    if (restart) {
      console.error(`[start] ${name} exited (${signal ?? code}); restarting it in 1 s`);
      setTimeout(() => !stopping && launch(name, args, restart), 1000);
    } else {
      console.error(`[start] ${name} exited (${signal ?? code}); stopping`);
      shutdown(code ?? 1);
    }
  });
}

function shutdown(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 5000).unref();
  const wait = setInterval(() => {
    if (children.length === 0) {
      clearInterval(wait);
      process.exit(code);
    }
  }, 100);
}

process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

// Production: the web front (scripts/web.ts) in front of Next.js; development: next dev itself
// (client addresses are then unknown to rate limits, which count everyone as one client).
launch("web", dev ? [next, "dev", "-p", port] : ["--import", "tsx", path.join(root, "scripts/web.ts"), "--port", port], false);
// Node itself runs the worker (tsx as a loader, not tsx's CLI, which would put a second
// process in between): a signal sent to the worker reaches the worker.
if (!webOnly) launch("worker", ["--import", "tsx", path.join(root, "scripts/worker.ts")], true);
console.log(`[start] Faultline on http://localhost:${port} (database: ${process.env.DATABASE_URL.startsWith("file:") ? process.env.DATABASE_URL : "PostgreSQL"})`);

/** Builds the web app when there is no build or a source file changed since the last one. */
function buildIfStale(): void {
  const distDir = path.join(root, process.env.NEXT_DIST_DIR || ".next");
  const stamp = path.join(distDir, "faultline-sources");
  const fingerprint = sourcesFingerprint();
  if (existsSync(path.join(distDir, "BUILD_ID")) && existsSync(stamp) && readFileSync(stamp, "utf8") === fingerprint) return;
  console.log("[start] building the web app (next build)…");
  const res = spawnSync(process.execPath, [next, "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (res.status !== 0) {
    console.error("[start] next build failed");
    process.exit(res.status ?? 1);
  }
  writeFileSync(stamp, fingerprint);
}

function sourcesFingerprint(): string {
  const hash = createHash("sha256");
  const visit = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const entry of readdirSync(p).sort()) if (entry !== "generated" && entry !== "node_modules") visit(path.join(p, entry));
    } else {
      hash.update(`${path.relative(root, p)}:${st.size}:${st.mtimeMs}\n`);
    }
  };
  for (const p of ["app", "server", "public", "types", "proxy.ts", "next.config.js", "package-lock.json", "tsconfig.json"]) visit(path.join(root, p));
  return hash.digest("hex");
}
