// Scenario documents are checked off the request thread when they are large: the thread keeps
// turning while a dense 100 KiB document is parsed, results are the same as on the thread, and
// the checks waiting are bounded.
import { describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { checkScenario } from "@/server/scenarios/validate";
import { checkScenarioOffThread, SCENARIO_CHECK_INLINE_BYTES_MAX, SCENARIO_CHECKS_WAITING_MAX } from "@/server/scenarios/check-pool";

/** A valid scenario with `links` network links: dense YAML, slow to parse. */
function dense(links: number, nodes = 200): string {
  const ids = Array.from({ length: nodes }, (_, i) => `n${i}`);
  return [
    "version: 1",
    "name: dense",
    `nodes: [${ids.map((id) => `{ id: ${id} }`).join(", ")}]`,
    "network:",
    "  links:",
    // Every link once: from each node to the next 1, 2, 3, … nodes along.
    ...Array.from({ length: links }, (_, i) => `    - { from: ${ids[i % nodes]}, to: ${ids[(i % nodes) + 1 + Math.floor(i / nodes)] ?? ids[((i % nodes) + 1 + Math.floor(i / nodes)) % nodes]}, loss: 0.01 }`),
    "protocol: { kind: request-response }",
    "workload: [{ clients: [n0], target: n1, outstanding: 1, op: read, key: k }]",
    "",
  ].join("\n");
}

/** Turns of this thread's event loop while `work` runs: none when it holds the thread. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const result = await work();
  running = false;
  return { result, turns };
}

describe("scenario checks", () => {
  it("parse a dense 100 KiB document on another thread, with the same answer", async () => {
    const source = dense(3000);
    expect(Buffer.byteLength(source)).toBeGreaterThan(100 * 1024);
    const off = await turnsDuring(() => checkScenarioOffThread(source)); // warm: builds the thread
    const again = await turnsDuring(() => checkScenarioOffThread(source));
    const inline = await turnsDuring(async () => checkScenario(source));
    expect(inline.turns).toBe(0);
    expect(again.turns).toBeGreaterThan(10);
    expect(again.result).toEqual(inline.result);
    expect(off.result.ok).toBe(true);

    const broken = source.replace("to: n2,", "to: nowhere,");
    expect(await checkScenarioOffThread(broken)).toEqual(checkScenario(broken));
    expect((await checkScenarioOffThread(broken)).ok).toBe(false);
  });

  it("keep small documents on the calling thread", async () => {
    const small = dense(10, 5);
    expect(Buffer.byteLength(small)).toBeLessThan(SCENARIO_CHECK_INLINE_BYTES_MAX);
    expect((await turnsDuring(() => checkScenarioOffThread(small))).turns).toBe(0);
  });

  it("refuse checks beyond the bounded queue with 429", async () => {
    const source = dense(450, 40);
    expect(Buffer.byteLength(source)).toBeGreaterThan(SCENARIO_CHECK_INLINE_BYTES_MAX);
    const results = await Promise.allSettled(Array.from({ length: SCENARIO_CHECKS_WAITING_MAX + 5 }, () => checkScenarioOffThread(source)));
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused.length).toBeGreaterThanOrEqual(4);
    for (const r of refused) expect(((r as PromiseRejectedResult).reason as TRPCError).code).toBe("TOO_MANY_REQUESTS");
    expect(results.filter((r) => r.status === "fulfilled").every((r) => (r as PromiseFulfilledResult<{ ok: boolean }>).value.ok)).toBe(true);
  });
});
