// The JSONL download of a large trace, on each database: every event arrives, in order, as the
// simulator's own JSONL export has it, while this process's thread stays free (the decoding happens
// in another process) and health checks keep answering; exports are bounded per client.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { gunzipSync, gzipSync } from "node:zlib";
import { PROVIDERS, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { decodeTrace, encodeTrace, parseScenarioText, runScenario, traceJsonlLines } from "@/server/sim";
import { exportTraceJsonl, TRACE_EXPORTS_PER_ADDRESS_MAX } from "@/server/traces/jsonl-export";

// Every decode and JSONL line written in this process is counted: the export must do neither here.
vi.mock("@/server/sim", async (importOriginal) => {
  const sim = await importOriginal<typeof import("@/server/sim")>();
  return { ...sim, decodeTrace: vi.fn(sim.decodeTrace), traceJsonlLines: vi.fn(sim.traceJsonlLines) };
});

const BIG = `
version: 1
name: a big closed loop
until: 1000m
maxEvents: 300000
nodes: [${Array.from({ length: 50 }, (_, i) => `{ id: N${i} }`).join(", ")}]
network: { latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.05 }
protocol: { kind: request-response, client: { timeout: 50ms, retries: 3 } }
workload: [{ clients: all, target: random, outstanding: 1, op: read, key: k }]
`;

function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

describe.each(PROVIDERS)("trace JSONL export on %s", (provider) => {
  let t: TestDb;
  let runId: string;
  let gz: Buffer;
  let events: number;

  beforeAll(async () => {
    t = await createTestDb(provider);
    const parsed = parseScenarioText(BIG);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const trace = runScenario(parsed.scenario, { seed: 3 }).trace!;
    events = trace.length;
    gz = gzipSync(encodeTrace(trace));
    const owner = await makeUser(t.db, "Owner");
    const scenario = await t.db.scenario.create({
      data: { ownerId: owner.id, name: "big", shareToken: `s-${provider}`, versions: { create: { number: 1, source: BIG, name: "big" } } },
      select: { id: true, versions: { select: { id: true } } },
    });
    const run = await t.db.run.create({
      data: { ownerId: owner.id, scenarioId: scenario.id, versionId: scenario.versions[0]!.id, seed: 3, shareToken: `r-${provider}`, status: "done", visibility: "public" },
      select: { id: true },
    });
    await t.db.runTrace.create({ data: { runId: run.id, attempt: 1, byteCount: gz.length, data: new Uint8Array(gz) } });
    runId = run.id;
  });
  afterAll(async () => t.drop());

  it("streams every event of a large trace without decoding it in this process, while health checks keep answering", async () => {
    const inProcess = decodeTrace(new Uint8Array(gunzipSync(gz)));
    const expectedFirst = traceJsonlLines(inProcess).next().value as string;
    const expectedLast = JSON.stringify(inProcess.event(events - 1));
    vi.mocked(decodeTrace).mockClear();
    vi.mocked(traceJsonlLines).mockClear();

    const started = process.cpuUsage();
    const exported = exportTraceJsonl(runId, "192.0.2.10", { databaseUrl: t.url });
    if (!exported.ok) throw new Error("refused");
    const reader = exported.body.getReader();
    let firstByteCpuMs = -1;
    const healthMs: number[] = [];
    let chunks = 0;
    let lines = 0;
    let head: Buffer | null = null;
    let tail = Buffer.alloc(0);
    for (;;) {
      const { done, value } = await reader.read();
      if (firstByteCpuMs < 0) firstByteCpuMs = cpuMs(process.cpuUsage(started));
      if (done) break;
      const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) lines++;
      head ??= Buffer.from(bytes);
      tail = bytes.length >= 4096 ? Buffer.from(bytes.subarray(-4096)) : Buffer.concat([tail, bytes]).subarray(-4096);
      // A health check now and then while the download runs.
      if (chunks++ % 100 === 0) {
        const t0 = performance.now();
        await t.db.run.count();
        healthMs.push(performance.now() - t0);
      }
    }

    expect(lines).toBe(events);
    expect(head!.toString().split("\n")[0]).toBe(expectedFirst);
    expect(tail.toString().trimEnd().split("\n").pop()).toBe(expectedLast);
    // The decoding and the writing of lines happened in the exporting process, never in this one.
    expect(vi.mocked(decodeTrace)).not.toHaveBeenCalled();
    expect(vi.mocked(traceJsonlLines)).not.toHaveBeenCalled();
    console.log(`${firstByteCpuMs.toFixed(0)} ms of CPU in this process before the first byte`);
    // Other work was served between chunks (how long it took depends on the machine's load, so it
    // is printed, not asserted: the CPU figure above is what shows the decoding happens elsewhere).
    expect(healthMs.length).toBeGreaterThan(1);
    console.log(`health checks during the download: max ${Math.max(...healthMs).toFixed(0)} ms over ${healthMs.length}`);
  });

  it("runs one export per client at a time and says when to come back", async () => {
    const a = exportTraceJsonl(runId, "198.51.100.20", { databaseUrl: t.url });
    const b = exportTraceJsonl(runId, "198.51.100.20", { databaseUrl: t.url });
    expect(TRACE_EXPORTS_PER_ADDRESS_MAX).toBe(1);
    expect(a.ok).toBe(true);
    expect(b).toEqual({ ok: false, retryAfterSeconds: expect.any(Number) });
    // A cancelled download ends its export and frees the place.
    if (a.ok) await a.body.cancel();
    let again = exportTraceJsonl(runId, "198.51.100.20", { databaseUrl: t.url });
    while (!again.ok) {
      await new Promise((resolve) => setImmediate(resolve));
      again = exportTraceJsonl(runId, "198.51.100.20", { databaseUrl: t.url });
    }
    await again.body.cancel();
  });
});
