// The template gallery: one starting scenario per failure on the lecture slide (and a
// few more), each commented so a student can read what it sets up and why.
// tests/unit/templates.test.ts checks every template is a valid scenario.

import { PROGRAM_TEMPLATES } from "./programs";
import { PROTOCOL_TEMPLATES } from "./protocols";

export interface ScenarioTemplate {
  id: string;
  title: string;
  /** One line shown in the gallery. */
  summary: string;
  /** What on the slide it shows. */
  slide: string;
  source: string;
}

const twoNodes = `nodes:
  - { id: C1, role: client }
  - { id: C2, role: server }`;

export const TEMPLATES: ScenarioTemplate[] = [
  {
    id: "request-lost",
    title: "Request lost",
    summary: "C1's first request never reaches C2; the timeout and a retry save the day.",
    slide: "The request could be lost",
    source: `version: 1
name: Request lost
description: |
  C1 asks C2 for its journal. The network loses the first request.
  C1 cannot tell a lost request from a slow one: it waits for its timeout,
  then sends the same request again.
seed: 1
until: 10s
${twoNodes}
network:
  latency: 10ms            # one way, every message
protocol:
  kind: request-response
  client: { timeout: 100ms, retries: 2 }
  server: { processing: 1ms, dedupe: true }
workload:
  - { client: C1, server: C2, op: read, key: journal, count: 1 }
faults:
  # Lose the first request C1 sends to C2.
  - { kind: drop, match: { from: C1, to: C2, type: request, nth: 1 } }
checks:
  - all-complete
  - at-most-once
`,
  },
  {
    id: "request-slow",
    title: "Request slow",
    summary: "The first request is delayed past the timeout, so C2 sees it twice.",
    slide: "The request could be slow",
    source: `version: 1
name: Request slow
description: |
  The first request takes 250 ms longer than usual. C1 gives up waiting at
  100 ms and asks again, so C2 receives the same request twice. Without
  dedupe it executes both: at-most-once fails. Try \`dedupe: true\`.
seed: 1
until: 10s
${twoNodes}
network:
  latency: 10ms
protocol:
  kind: request-response
  client: { timeout: 100ms, retries: 2 }
  server: { processing: 1ms, dedupe: false }
workload:
  - { client: C1, server: C2, op: write, key: journal, value: "entry 1", count: 1 }
faults:
  - { kind: delay, match: { from: C1, to: C2, type: request, nth: 1 }, by: 250ms }
checks:
  - all-complete
  - at-most-once
`,
  },
  {
    id: "server-crash",
    title: "C2 crashes",
    summary: "C2 crashes mid-request and restarts later; C1 keeps retrying.",
    slide: "C2 could crash",
    source: `version: 1
name: C2 crashes
description: |
  C2 crashes at 50 ms, in the middle of processing, and comes back at 1 s.
  From C1's side a crashed server looks exactly like a slow one: silence.
  Enough retries carry the request past the outage.
seed: 1
until: 10s
${twoNodes}
network:
  latency: 10ms
protocol:
  kind: request-response
  client: { timeout: 200ms, retries: 5 }
  server: { processing: 100ms, dedupe: true }
workload:
  - { client: C1, server: C2, op: read, key: journal, count: 1 }
faults:
  - { kind: crash, node: C2, at: 50ms, restart: 950ms }
checks:
  - all-complete
`,
  },
  {
    id: "server-slow",
    title: "C2 is slow",
    summary: "C2 runs at a tenth of its speed; retries pile up in its queue.",
    slide: "C2 could just be slow",
    source: `version: 1
name: C2 is slow
description: |
  For its first two seconds C2 works at a tenth of its usual speed. It handles
  one request at a time, so C1's retries join the queue behind the originals
  and make the backlog worse: a retry storm in miniature.
seed: 1
until: 30s
${twoNodes}
network:
  latency: { dist: uniform, min: 5ms, max: 15ms }
protocol:
  kind: request-response
  client: { timeout: 100ms, retries: 3 }
  server: { processing: 5ms, concurrency: 1, dedupe: false }
workload:
  - { client: C1, server: C2, op: read, key: journal, count: 50, interval: 20ms }
faults:
  - { kind: slow, node: C2, factor: 10, from: 0ms, until: 2s }
checks:
  - all-complete
  - { latency: { p99: 500ms } }
`,
  },
  {
    id: "response-lost",
    title: "Response lost",
    summary: "C2 did the write, but the ok never arrives; the retry writes again.",
    slide: "The response could be lost",
    source: `version: 1
name: Response lost
description: |
  C2 executes the write, but its "ok" is lost. C1 cannot know the write
  happened, so it sends it again, and without dedupe C2 writes twice.
  at-most-once fails; set \`dedupe: true\` on the server to fix it.
seed: 1
until: 10s
${twoNodes}
network:
  latency: 10ms
protocol:
  kind: request-response
  client: { timeout: 100ms, retries: 2 }
  server: { processing: 1ms, dedupe: false }
workload:
  - { client: C1, server: C2, op: write, key: journal, value: "dear diary", count: 1 }
faults:
  - { kind: drop, match: { from: C2, to: C1, type: response, nth: 1 } }
checks:
  - all-complete
  - at-most-once
`,
  },
  {
    id: "response-slow",
    title: "Response slow",
    summary: "The first answer arrives after C1 has resent; the late answer is ignored.",
    slide: "The response could be slow",
    source: `version: 1
name: Response slow
description: |
  C2 answers promptly but the answer is delayed by 300 ms. C1 times out,
  resends, and takes the second answer; the first arrives late and is ignored.
seed: 1
until: 10s
${twoNodes}
network:
  latency: 10ms
protocol:
  kind: request-response
  client: { timeout: 100ms, retries: 2 }
  server: { processing: 1ms, dedupe: true }
workload:
  - { client: C1, server: C2, op: read, key: journal, count: 1 }
faults:
  - { kind: delay, match: { from: C2, to: C1, type: response, nth: 1 }, by: 300ms }
checks:
  - all-complete
  - at-most-once
`,
  },
  {
    id: "byzantine-lie",
    title: "C2 lies",
    summary: "A Byzantine C2 answers reads with values it never stored.",
    slide: "C2 could lie (Byzantine behaviour)",
    source: `version: 1
name: C2 lies
description: |
  C1 writes its journal, then reads it back three times. C2 is Byzantine:
  every answer carries a value other than the one it stored. Every request
  completes on time, and correct-responses still fails. Timeouts and retries
  cannot detect a liar; that takes replication and voting.
seed: 1
until: 10s
${twoNodes}
network:
  latency: 10ms
protocol:
  kind: request-response
  client: { timeout: 100ms, retries: 0 }
  server: { processing: 1ms }
workload:
  - { client: C1, server: C2, op: write, key: journal, value: "dear diary", count: 1, start: 0ms }
  - { client: C1, server: C2, op: read, key: journal, count: 3, interval: 50ms, start: 100ms }
faults:
  - { kind: byzantine, node: C2, behavior: lie }
checks:
  - all-complete
  - correct-responses
`,
  },
  {
    id: "unknown-computer",
    title: "A computer you didn't know existed",
    summary: "C2 depends on C3; when C3 crashes, C1 fails without ever hearing of C3.",
    slide: "Lamport: a computer you didn't know existed",
    source: `version: 1
name: A computer you didn't know existed
description: |
  "A distributed system is one in which the failure of a computer you didn't
  even know existed can render your own computer unusable." (Leslie Lamport)
  C2 asks C3 before answering C1. C3 crashes at 1.5 s; from then on every
  request C1 makes fails, though C1 never talks to C3.
seed: 1
until: 10s
nodes:
  - { id: C1, role: client }
  - { id: C2, role: server }
  - { id: C3, role: storage }
network:
  latency: 10ms
protocol:
  kind: request-response
  client: { timeout: 200ms, retries: 2 }
  server: { processing: 1ms, calls: { C2: [C3] } }
workload:
  - { client: C1, server: C2, op: read, key: journal, count: 5, interval: 1s }
faults:
  - { kind: crash, node: C3, at: 1500ms }
checks:
  - all-complete
`,
  },
  {
    id: "lossy-retries",
    title: "Lossy network, retries with backoff",
    summary: "10% loss on every message; how often do three tries with backoff succeed? Sweep seeds.",
    slide: "Timeouts, retries and backoff",
    source: `version: 1
name: Lossy network, retries with backoff
description: |
  Every message is lost with probability 0.1, so one try succeeds with
  probability 0.9 x 0.9 = 0.81 and three tries with 1 - 0.19^3 = 0.993.
  Run a sweep over many seeds to see how often all 100 requests complete.
seed: 1
until: 200s
${twoNodes}
network:
  latency: { dist: exponential, mean: 10ms }
  loss: 0.1
protocol:
  kind: request-response
  client: { timeout: 500ms, retries: 2, backoff: { kind: exponential, base: 50ms, max: 1s } }
  server: { processing: 1ms, dedupe: true }
workload:
  - { client: C1, server: C2, op: read, key: journal, count: 100, interval: 1s }
checks:
  - all-complete
  - at-most-once
`,
  },
  {
    id: "partition",
    title: "Network partition",
    summary: "C1 and C2 are cut apart for two seconds, then the partition heals.",
    slide: "The request could be lost (all of them, for a while)",
    source: `version: 1
name: Network partition
description: |
  From 500 ms to 2.5 s the network splits C1 from C2: every message between
  them is lost. Requests during the partition fail unless the client keeps
  retrying until it heals.
seed: 1
until: 20s
${twoNodes}
network:
  latency: { dist: uniform, min: 5ms, max: 20ms }
protocol:
  kind: request-response
  client: { timeout: 250ms, retries: 4, backoff: { kind: exponential, base: 100ms, max: 1s } }
  server: { processing: 2ms, dedupe: true }
workload:
  - { client: C1, server: C2, op: write, key: journal, value: "entry", count: 20, interval: 200ms }
faults:
  - { kind: partition, groups: [[C1], [C2]], from: 500ms, until: 2500ms }
checks:
  - { all-complete: { within: 3s } }
  - at-most-once
`,
  },
  {
    id: "clock-drift",
    title: "Clock drift",
    summary: "C1's clock runs fast, so its timeouts fire early and it retries too soon.",
    slide: "Timeouts depend on clocks",
    source: `version: 1
name: Clock drift
description: |
  C1's clock runs 50% fast. Its 30 ms timeout really lasts 20 ms, shorter than
  a round trip, so every request is sent again before its answer can arrive.
seed: 1
until: 10s
${twoNodes}
network:
  latency: 10ms
protocol:
  kind: request-response
  client: { timeout: 30ms, retries: 2 }
  server: { processing: 2ms, dedupe: false }
workload:
  - { client: C1, server: C2, op: write, key: journal, value: "entry", count: 5, interval: 100ms }
faults:
  - { kind: clock, node: C1, drift: 0.5 }
checks:
  - all-complete
  - at-most-once
`,
  },
];

TEMPLATES.push(...PROGRAM_TEMPLATES, ...PROTOCOL_TEMPLATES);

export function templateById(id: string): ScenarioTemplate | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
