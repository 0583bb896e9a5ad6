// Scenarios the random nemesis and shrinking tests share: C1 writes to C2, which does not dedupe.

export const RR = (faults: string, extra = "") => `version: 1
name: writes under faults
until: 10s
nodes:
  - { id: C1, role: client }
  - { id: C2, role: server }
network:
  latency: 10ms${extra}
protocol:
  kind: request-response
  client: { timeout: 100ms, retries: 3 }
  server: { processing: 1ms, dedupe: false }
workload:
  - { client: C1, server: C2, op: write, key: journal, value: "dear diary", count: 40, interval: 200ms }
faults:
${faults}
checks: [all-complete, at-most-once]
`;

export const RANDOM_RR = RR("  - { kind: random, every: 500ms, length: { min: 50ms, max: 500ms } }");
