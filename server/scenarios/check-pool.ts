// Checking scenario documents off the web process's event loop. The YAML parser needs about
// 1.5 µs per byte of a dense document: a 256 KiB one held the only thread for 0.3-0.5 s, so a
// client sending such documents kept health checks and everyone else waiting. Documents above a
// few KiB are checked on one worker thread instead, one at a time, each with a deadline; small
// ones stay on the calling thread, where a thread hop would cost more than the check.
import { Worker } from "node:worker_threads";
import { createRequire } from "node:module";
import path from "node:path";
import { tooMany } from "@/server/api/errors";
import { checkScenario, quickRefusal, type CheckedScenario } from "./validate";

/** Documents up to this size are checked on the calling thread (at most a few ms). */
export const SCENARIO_CHECK_INLINE_BYTES_MAX = 16 * 1024;
/** Longest one check may take on the thread before it is stopped (and the thread replaced). */
export const SCENARIO_CHECK_MS_MAX = 10_000;
/** Checks waiting for the thread, beyond which new ones are refused (429). */
export const SCENARIO_CHECKS_WAITING_MAX = 64;
/** Retry-After when too many checks wait. */
export const SCENARIO_CHECK_RETRY_AFTER_SECONDS = 5;
/** Heap of the check thread, in MiB. */
const SCENARIO_CHECK_HEAP_MB_MAX = 256;

interface Task {
  id: number;
  source: string;
  resolve: (r: CheckedScenario) => void;
  reject: (e: unknown) => void;
}

let worker: Worker | null = null;
let bundle: Promise<string | null> | null = null;
let current: (Task & { timer: NodeJS.Timeout }) | null = null;
const waiting: Task[] = [];
let nextId = 1;

/** Checks a document like checkScenario, on the check thread when it is large. */
export async function checkScenarioOffThread(source: string): Promise<CheckedScenario> {
  if (Buffer.byteLength(source, "utf8") <= SCENARIO_CHECK_INLINE_BYTES_MAX) return checkScenario(source);
  // Too large or too deep is known at once, without the thread.
  const refused = quickRefusal(source);
  if (refused) return refused;
  const code = await threadSource();
  if (code === null) return checkScenario(source);
  if (waiting.length >= SCENARIO_CHECKS_WAITING_MAX) {
    throw tooMany(`Too many scenario documents are waiting to be checked; try again in ${SCENARIO_CHECK_RETRY_AFTER_SECONDS} s.`, SCENARIO_CHECK_RETRY_AFTER_SECONDS);
  }
  return new Promise<CheckedScenario>((resolve, reject) => {
    waiting.push({ id: nextId++, source, resolve, reject });
    pump(code);
  });
}

function pump(code: string): void {
  if (current || waiting.length === 0) return;
  const task = waiting.shift()!;
  const w = (worker ??= start(code));
  const timer = setTimeout(() => {
    // A document that takes this long is not one to keep trying: replace the thread, say so.
    stop();
    task.resolve({ ok: false, problems: [{ path: "", message: `the document took longer than ${SCENARIO_CHECK_MS_MAX / 1000} s to check` }] });
    pump(code);
  }, SCENARIO_CHECK_MS_MAX);
  current = { ...task, timer };
  w.postMessage({ id: task.id, source: task.source });
}

function start(code: string): Worker {
  const w = new Worker(code, { eval: true, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: SCENARIO_CHECK_HEAP_MB_MAX } });
  w.unref();
  w.on("message", (msg: { id: number; result: CheckedScenario }) => {
    if (!current || msg.id !== current.id) return;
    const task = current;
    clearTimeout(task.timer);
    current = null;
    task.resolve(msg.result);
    pump(code);
  });
  const fail = (err: unknown) => {
    if (worker !== w) return;
    worker = null;
    const task = current;
    current = null;
    if (task) {
      clearTimeout(task.timer);
      // Out of memory or a crash: the document is the likely cause.
      task.resolve({ ok: false, problems: [{ path: "", message: "the document could not be checked (it needs too much memory)" }] });
      console.error("[scenarios] the check thread failed:", err);
    }
    pump(code);
  };
  w.on("error", fail);
  w.on("exit", (exitCode) => fail(new Error(`the check thread exited (${exitCode})`)));
  return w;
}

/** Checks several documents (each as checkScenarioOffThread), for code that looks results up by text. */
export async function checkScenariosOffThread(sources: string[]): Promise<Map<string, CheckedScenario>> {
  const unique = [...new Set(sources)];
  const results = await Promise.all(unique.map((s) => checkScenarioOffThread(s)));
  return new Map(unique.map((s, i) => [s, results[i]!]));
}

function stop(): void {
  const w = worker;
  worker = null;
  current = null;
  void w?.terminate();
}

/**
 * check-thread.ts and everything it imports, bundled into one script with esbuild (installed
 * with tsx), once per process and off the event loop. Null when esbuild is not available; checks
 * then run on the calling thread.
 */
function threadSource(): Promise<string | null> {
  bundle ??= (async () => {
    try {
      const esbuild = createRequire(path.join(/*turbopackIgnore: true*/ process.cwd(), "package.json"))("esbuild") as {
        build(options: Record<string, unknown>): Promise<{ outputFiles?: { text: string }[] }>;
      };
      const out = await esbuild.build({
        entryPoints: [path.join(/*turbopackIgnore: true*/ process.cwd(), "server", "scenarios", "check-thread.ts")],
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        write: false,
        logLevel: "silent",
      });
      return out.outputFiles?.[0]?.text ?? null;
    } catch (err) {
      console.error("[scenarios] checks run on the request thread: the check thread could not be built:", err);
      return null;
    }
  })();
  return bundle;
}
