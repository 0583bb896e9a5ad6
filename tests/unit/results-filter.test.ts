// The event log's filters, the event sentences and the compare page's metric and verdict diffs.
import { describe, expect, it } from "vitest";
import { filterEvents, kindsPresent, messageTypeOf, NO_FILTER } from "@/app/_components/results/event-filter";
import { describeEvent, eventFields } from "@/app/_components/results/describe";
import { asRunSummary, asSweepSummary, diffMetrics, diffVerdicts, retries } from "@/app/_components/results/summaries";
import { runTemplate, runText, templateSource } from "./results-fixtures";

describe("filterEvents", () => {
  const { trace } = runTemplate("response-lost");
  it("passes everything with no filter", () => {
    expect(filterEvents(trace, NO_FILTER).length).toBe(trace.length);
  });
  it("filters by node, kind and message type, together", () => {
    const onC2 = Array.from(filterEvents(trace, { ...NO_FILTER, node: "C2" }));
    expect(onC2.every((i) => trace.event(i).node === "C2")).toBe(true);
    expect(onC2.length).toBe(Array.from({ length: trace.length }, (_, i) => trace.event(i)).filter((e) => e.node === "C2").length);
    expect(Array.from(filterEvents(trace, { ...NO_FILTER, kind: "execute" }))).toEqual([4, 11]);
    expect(Array.from(filterEvents(trace, { node: "C2", kind: "respond", messageType: "response" }))).toEqual([5, 12]);
    const responses = Array.from(filterEvents(trace, { ...NO_FILTER, messageType: "response" }));
    expect(responses.every((i) => trace.event(i).messageType === "response")).toBe(true);
    const none = Array.from(filterEvents(trace, { ...NO_FILTER, messageType: "none" }));
    expect(none.every((i) => trace.event(i).messageType === undefined)).toBe(true);
    expect(none.length + Array.from(filterEvents(trace, { ...NO_FILTER, messageType: "request" })).length + responses.length).toBe(trace.length);
  });
  it("matches nothing for a node or kind the run does not have", () => {
    expect(filterEvents(trace, { ...NO_FILTER, node: "C9" }).length).toBe(0);
    expect(filterEvents(trace, { ...NO_FILTER, kind: "nonsense" }).length).toBe(0);
  });
  it("knows the message type of job events too", () => {
    expect(messageTypeOf(trace, 4)).toBe("request"); // execute of a request message
    expect(messageTypeOf(trace, 7)).toBeNull(); // timeout
    expect(kindsPresent(trace)).toEqual(["issue", "send", "resend", "respond", "deliver", "drop", "timeout", "process", "execute", "accept", "stop"]);
  });
});

describe("describeEvent", () => {
  it("says what happened in the lecture's words", () => {
    const { trace } = runTemplate("response-lost");
    expect(describeEvent(trace.event(6))).toBe('The response of request #0 from C2 to C1 is lost: a drop fault rule matched it');
    expect(describeEvent(trace.event(11))).toBe('C2 executes request #0 (write journal = "dear diary") → "ok"');
    expect(describeEvent(trace.event(8))).toContain("resends request #0 to C2 (a retry, attempt 2)");
    const lie = runTemplate("byzantine-lie").trace;
    expect(describeEvent(lie.event(13))).toContain('a Byzantine answer (lie): the true value is "dear diary"');
    const crash = runTemplate("server-crash").trace;
    expect(describeEvent(crash.event(7))).toContain("the receiver was down");
    expect(describeEvent(crash.event(4))).toContain("C2 crashes");
  });
  it("tells a pause and its resume, and the log filters them by kind", () => {
    const { trace } = runText(`version: 1
name: paused server
nodes: [{ id: C1, role: client }, { id: C2, role: server }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 1s }, server: { processing: 1ms } }
workload: [{ client: C1, server: C2, op: write, key: k, value: v, count: 1 }]
faults:
  - { kind: pause, node: C2, from: 5ms, until: 205ms }
checks: [all-complete]
`);
    expect(kindsPresent(trace)).toEqual(expect.arrayContaining(["pause", "resume"]));
    const [pause] = filterEvents(trace, { ...NO_FILTER, kind: "pause" });
    const [resume] = filterEvents(trace, { ...NO_FILTER, kind: "resume", node: "C2" });
    expect(describeEvent(trace.event(pause!))).toBe("C2 pauses for 200 ms: it keeps its state but processes nothing; what arrives, its timers and its work wait until it resumes");
    expect(describeEvent(trace.event(resume!))).toBe("C2 resumes: what waited during the pause happens now, in order");
    expect(eventFields(trace.event(pause!))).toEqual(expect.arrayContaining([["kind", "pause"], ["fault", "0"], ["duration", "200 ms (200000 µs)"]]));
    expect(messageTypeOf(trace, pause!)).toBeNull();
  });
  it("lists every field the event has", () => {
    const { trace } = runTemplate("response-lost");
    const e = trace.event(6);
    const labels = eventFields(e).map(([k]) => k);
    for (const k of ["index", "time", "node", "kind", "message", "reason", "fault", "cause (send event)", "copy"]) expect(labels).toContain(k);
    // Every kind of every template describes without throwing.
    for (const id of ["request-lost", "request-slow", "server-crash", "server-slow", "response-slow", "byzantine-lie", "unknown-computer", "partition"]) {
      const t = runTemplate(id).trace;
      for (let i = 0; i < t.length; i++) expect(describeEvent(t.event(i)).length).toBeGreaterThan(5);
    }
  });
});

describe("metric and verdict diffs", () => {
  const a = asRunSummary(JSON.parse(JSON.stringify(runTemplate("response-lost").summary)))!;
  const b = asRunSummary(JSON.parse(JSON.stringify(runText(templateSource("response-lost").replace("dedupe: false", "dedupe: true")).summary)))!;
  it("reads a stored summary", () => {
    expect(a).not.toBeNull();
    expect(asRunSummary(null)).toBeNull();
    expect(asRunSummary({ seeds: 3 })).toBeNull();
    expect(asSweepSummary(a)).toBeNull();
    expect(retries(a.metrics.requests)).toBe(1);
  });
  it("shows which verdicts changed", () => {
    const v = diffVerdicts(a, b);
    expect(v.find((x) => x.name === "at-most-once")).toMatchObject({ a: false, b: true, changed: true });
    expect(v.find((x) => x.name === "all-complete")).toMatchObject({ a: true, b: true, changed: false });
  });
  it("computes differences with a direction", () => {
    const d = diffMetrics(a, b);
    const exec = d.find((x) => x.row.key === "executions")!;
    expect([exec.a, exec.b, exec.delta, exec.changed]).toEqual([2, 1, -1, true]);
    const sent = d.find((x) => x.row.key === "messages.sent")!;
    expect(sent.changed).toBe(false);
    expect(sent.tone).toBe("neutral");
    const withFewerDrops = { ...b, metrics: { ...b.metrics, messages: { ...b.metrics.messages, dropped: 0 } } };
    expect(diffMetrics(a, withFewerDrops).find((x) => x.row.key === "messages.dropped")!.tone).toBe("better");
  });
});
