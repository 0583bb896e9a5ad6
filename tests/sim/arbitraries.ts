// fast-check generators of random valid scenarios (as plain objects, the way a user would write them).

import fc from "fast-check";

const ms = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((v) => `${v}ms`);

export const distribution = fc.oneof(
  ms(0, 20),
  fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })).map(([a, b]) => ({
    dist: "uniform",
    min: `${Math.min(a, b)}ms`,
    max: `${Math.max(a, b)}ms`,
  })),
  ms(1, 20).map((m) => ({ dist: "exponential", mean: m })),
  fc.tuple(ms(0, 20), ms(0, 10)).map(([mean, sd]) => ({ dist: "normal", mean, sd })),
  fc.tuple(ms(1, 20), fc.double({ min: 0, max: 1, noNaN: true })).map(([median, sigma]) => ({ dist: "lognormal", median, sigma })),
);

function window() {
  return fc.option(
    fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 2000 })).map(([from, len]) => ({ from: `${from}ms`, until: `${from + len}ms` })),
    { nil: undefined },
  );
}

export function scenarioArbitrary(opts: { maxNodes?: number; closedLoop?: boolean } = {}) {
  return fc.integer({ min: 2, max: opts.maxNodes ?? 5 }).chain((n) => {
    const ids = Array.from({ length: n }, (_, i) => `N${i}`);
    const node = fc.constantFrom(...ids);
    const pair = fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: n - 1 })).map(([a, d]) => [ids[a]!, ids[(a + d) % n]!] as const);
    const match = fc.record(
      {
        from: node,
        to: node,
        type: fc.constantFrom("request", "response"),
        nth: fc.integer({ min: 1, max: 5 }),
      },
      { requiredKeys: [] },
    );
    const fault = fc.oneof(
      fc.tuple(match, fc.double({ min: 0, max: 1, noNaN: true }), window()).map(([m, p, w]) => ({ kind: "drop", match: m, probability: p, ...w })),
      fc.tuple(match, distribution, window()).map(([m, by, w]) => ({ kind: "delay", match: m, by, ...w })),
      fc.tuple(match, window()).map(([m, w]) => ({ kind: "duplicate", match: m, ...w })),
      fc.tuple(node, ms(0, 2000), fc.option(ms(0, 1000), { nil: undefined })).map(([nd, at, restart]) => ({ kind: "crash", node: nd, at, ...(restart ? { restart } : {}) })),
      fc.tuple(node, fc.integer({ min: 1, max: 10 }), window()).map(([nd, factor, w]) => ({ kind: "slow", node: nd, factor, ...w })),
      fc.tuple(fc.shuffledSubarray(ids, { minLength: 1 }), window()).map(([sub, w]) => ({ kind: "partition", groups: [sub], ...w })),
      fc.tuple(node, fc.constantFrom("lie", "equivocate", "silent", "replay", "random"), window()).map(([nd, behavior, w]) => ({ kind: "byzantine", node: nd, behavior, ...w })),
      fc.tuple(node, ms(-500, 500), fc.double({ min: -0.5, max: 2, noNaN: true }), window()).map(([nd, offset, drift, w]) => ({ kind: "clock", node: nd, offset, drift, ...w })),
    );
    const openLoop = fc
      .tuple(pair, fc.constantFrom("read", "write"), fc.constantFrom("a", "b"), fc.integer({ min: 1, max: 15 }), ms(0, 300), ms(0, 500))
      .map(([[c, s], op, key, count, interval, start]) => ({ client: c, server: s, op, key, ...(op === "write" ? { value: `v${count}` } : {}), count, interval, start }));
    const closedLoop = fc
      .tuple(fc.constantFrom("read", "write"), fc.integer({ min: 1, max: 2 }))
      .map(([op, outstanding]) => ({ clients: "all", target: "random", outstanding, op, key: "c", ...(op === "write" ? { value: "w" } : {}) }));
    // A chain of calls without cycles: node i may call nodes with a larger index.
    const calls = fc.option(
      fc.tuple(fc.integer({ min: 0, max: n - 2 }), fc.integer({ min: 1, max: n - 1 })).map(([a, d]) => ({ [ids[a]!]: [ids[Math.min(n - 1, a + d)]!] })),
      { nil: undefined },
    );
    return fc.record({
      version: fc.constant(1),
      name: fc.constant("random"),
      seed: fc.integer({ min: 0, max: 1000 }),
      until: fc.constantFrom("2s", "3s"),
      maxEvents: fc.constant(4000),
      nodes: fc.constant(ids.map((id) => ({ id }))),
      network: fc.record({
        latency: distribution,
        loss: fc.constantFrom(0, 0.05, 0.2),
        duplicate: fc.constantFrom(0, 0, 0.1),
      }),
      protocol: fc.record({
        kind: fc.constant("request-response"),
        client: fc.record({
          timeout: ms(20, 200),
          retries: fc.integer({ min: 0, max: 3 }),
          backoff: fc.option(
            fc.record({ kind: fc.constantFrom("constant", "exponential"), base: ms(1, 50), max: ms(10, 200) }),
            { nil: undefined },
          ),
        }, { requiredKeys: ["timeout", "retries"] }),
        server: fc.record({
          processing: distribution,
          concurrency: fc.constantFrom("unlimited", 1, 2),
          dedupe: fc.boolean(),
          durable: fc.boolean(),
          calls,
        }, { requiredKeys: ["processing", "concurrency", "dedupe", "durable"] }),
      }),
      workload: opts.closedLoop === false
        ? fc.array(openLoop, { minLength: 1, maxLength: 3 })
        : fc.oneof(fc.array(openLoop, { minLength: 1, maxLength: 3 }), fc.tuple(closedLoop).map((x) => x)),
      faults: fc.array(fault, { maxLength: 4 }),
      checks: fc.constant(["all-complete", "at-most-once", "exactly-once", "correct-responses", { latency: { p99: "1s" } }]),
    });
  });
}
