// The run's narrative against the slide's scenarios (../shared/scenarios): each sentence a student
// would expect is told, in order, and selects the event it speaks of; repeats are counted, long
// stories are cut, and runs of the built-in protocols are told in the same words.
import { describe, expect, it } from "vitest";
import { buildNarrative, NARRATIVE_STORY_SENTENCES_MAX, type Narrative, type NarrativeSentence } from "@/app/_components/results/narrative";
import type { Trace } from "@/server/sim/trace/trace";
import type { NodeBehavior } from "@/server/sim/nodes/api";
import { scenarioFaults } from "@/app/_components/results/scenario-text";
import { builtinProtocol } from "@/server/sim/protocols/registry";
import { runTemplate, runText } from "./results-fixtures";
import { sharedScenario, sharedScenarioFiles } from "../helpers/scenarios";

/** A scenario text's run and its narrative, told with the run's fault rules (the random nemesis's draw included). */
function slide0(source: string, seed?: number) {
  const { trace, summary } = runText(source, seed);
  return { trace, summary, narrative: buildNarrative(trace, summary.checks, scenarioFaults(source, summary.schedule)) };
}

function slide(file: string) {
  const { trace, summary } = runText(sharedScenario(file));
  return { trace, summary, narrative: buildNarrative(trace, summary.checks) };
}

/** Index of the n-th event (from 0) of a kind that passes `where`. */
function nth(trace: Trace, kind: string, n = 0, where: (i: number) => boolean = () => true): number {
  let seen = 0;
  for (let i = 0; i < trace.length; i++) if (trace.kindName(i) === kind && where(i) && seen++ === n) return i;
  throw new Error(`no ${kind} #${n}`);
}

function sentence(n: Narrative, text: string | RegExp): NarrativeSentence {
  const found = n.sentences.find((s) => (typeof text === "string" ? s.text === text : text.test(s.text)));
  if (!found) throw new Error(`no sentence ${String(text)} in:\n${n.sentences.map((s) => s.text).join("\n")}`);
  return found;
}

describe("the narrative of the slide's scenarios", () => {
  it("response lost: the slide's story, each sentence on its events", () => {
    const { trace, narrative } = slide("05-response-lost.yaml");
    expect(narrative.sentences.map((s) => s.text)).toEqual([
      'C1 sent the write (journal = "dear diary") to C2 at 0 ms.',
      "C2 executed the write at 11 ms.",
      "The response was lost at 11 ms (fault rule 1).",
      "C1 timed out at 100 ms and resent the write.",
      "C2 executed the write a second time at 111 ms — at-most-once fails.",
      'C1 got the answer "ok" at 121 ms, on attempt 2.',
      "all-complete holds.",
    ]);
    const [sent, executed, lost, retried, again, answered, holds] = narrative.sentences;
    expect(sent!.at).toBe(nth(trace, "send"));
    expect(sent!.events).toEqual([nth(trace, "issue"), nth(trace, "send")]);
    expect(executed!.at).toBe(nth(trace, "execute", 0));
    expect(lost!.at).toBe(nth(trace, "drop"));
    expect(trace.event(lost!.at!).messageType).toBe("response");
    expect(retried!.events).toEqual([nth(trace, "timeout"), nth(trace, "resend")]);
    expect(again!.at).toBe(nth(trace, "execute", 1));
    expect(again!.fails).toEqual(["at-most-once"]);
    expect(answered!.at).toBe(nth(trace, "accept"));
    expect(holds!.at).toBeNull();
  });

  it("request lost: the request is lost, the retry gets the answer, every check holds", () => {
    const { trace, narrative } = slide("01-request-lost.yaml");
    const lost = sentence(narrative, "The request was lost at 0 ms (fault rule 1).");
    expect(lost.at).toBe(nth(trace, "drop"));
    expect(sentence(narrative, "C1 timed out at 100 ms and resent the read.").at).toBe(nth(trace, "timeout"));
    expect(sentence(narrative, "C1 got its answer (null) at 121 ms, on attempt 2.").at).toBe(nth(trace, "accept"));
    expect(narrative.sentences.at(-1)!.text).toBe("Every check holds: all-complete and at-most-once.");
  });

  it("request slow: the delayed request arrives after the retry and runs a second time", () => {
    const { trace, summary, narrative } = slide("02-request-slow.yaml");
    const delayed = sentence(narrative, "The request was delayed by fault rule 1: it reached C2 only at 260 ms.");
    expect(delayed.at).toBe(nth(trace, "send"));
    expect(delayed.events).toContain(nth(trace, "deliver", 0, (i) => trace.cause(i) === nth(trace, "send")));
    const again = sentence(narrative, "C2 executed the read a second time at 261 ms — at-most-once fails.");
    const witness = summary.checks.find((c) => c.name === "at-most-once")!.witness!;
    expect(again.at).toBe(witness[1]);
    expect(sentence(narrative, "C1 ignored the late answer to the read at 271 ms.").at).toBe(nth(trace, "ignore"));
  });

  it("server crash: the crash and the restart by their fault rule, the retries counted", () => {
    const { trace, narrative } = slide("03-server-crash.yaml");
    expect(sentence(narrative, "C2 crashed at 50 ms (fault rule 1), losing its timers and work in progress.").at).toBe(nth(trace, "crash"));
    expect(sentence(narrative, "C2 restarted at 1 s.").at).toBe(nth(trace, "restart"));
    expect(sentence(narrative, "The request reached C2 while it was down and was lost (210 ms).").at).toBe(nth(trace, "drop"));
    const first = sentence(narrative, "C1 timed out at 200 ms and resent the read.");
    expect(first.events).toEqual([nth(trace, "timeout", 0), nth(trace, "resend", 0)]);
    const more = sentence(narrative, "…and 4 more timeouts and resends, the last at 1 s.");
    expect(more.kind).toBe("more");
    expect(more.at).toBe(nth(trace, "timeout", 1));
    expect(more.events).toEqual([1, 2, 3, 4].flatMap((k) => [nth(trace, "timeout", k), nth(trace, "resend", k)]).sort((a, b) => a - b));
    expect(sentence(narrative, "…and 3 more messages lost while C2 was down, the last at 810 ms.").events).toEqual([1, 2, 3].map((k) => nth(trace, "drop", k)));
    expect(sentence(narrative, "C1 got its answer (null) at 1.12 s, on attempt 6.").at).toBe(nth(trace, "accept"));
  });

  it("server slow: a long run is cut to the sentences that matter, each check told", () => {
    const { trace, summary, narrative } = slide("04-server-slow.yaml");
    const story = narrative.sentences.filter((s) => s.kind !== "verdict");
    expect(story.length).toBeLessThanOrEqual(NARRATIVE_STORY_SENTENCES_MAX);
    expect(story[0]!.text).toBe("C1 sent 50 reads to C2, from 0 ms to 980 ms.");
    expect(sentence(narrative, "C2 was busy: request #1 waited in its queue at 33.85 ms.").at).toBe(nth(trace, "enqueue"));
    const completeWitness = summary.checks.find((c) => c.name === "all-complete")!.witness!;
    const failed = sentence(narrative, "Request #9 failed at 580 ms: no answer after 4 attempts — all-complete fails.");
    expect(failed.at).toBe(completeWitness[1]);
    expect(sentence(narrative, /^…and 40 more failed requests,/).events).toHaveLength(40);
    const onceWitness = summary.checks.find((c) => c.name === "at-most-once")!.witness!;
    expect(sentence(narrative, "C2 executed request #2 a second time at 456.5 ms — at-most-once fails.").at).toBe(onceWitness[1]);
    expect(sentence(narrative, /^…and \d+ more things worth a look/).kind).toBe("more");
    expect(narrative.sentences.at(-1)!.text).toBe("latency holds.");
  });

  it("response slow: the late answer, the dedupe table answering the repeat", () => {
    const { trace, narrative } = slide("06-response-slow.yaml");
    expect(sentence(narrative, "The response was delayed by fault rule 1: it reached C1 only at 321 ms.").at).toBe(nth(trace, "respond"));
    expect(sentence(narrative, /^C2 recognised the read as a repeat at 111 ms/).at).toBe(nth(trace, "dedupe-hit"));
    expect(sentence(narrative, "C1 ignored the late answer to the read at 321 ms.").at).toBe(nth(trace, "ignore"));
  });

  it("byzantine: the lie and its acceptance in one sentence, the other lies counted", () => {
    const { trace, narrative } = slide("07-byzantine-lie.yaml");
    const lie = sentence(narrative, /^C2 lied at 11 ms \(fault rule 1, lie\): it answered request #0 with "not ok", though its state gave "ok"; C1 accepted it at 21 ms — correct-responses fails\.$/);
    expect(lie.events).toEqual([nth(trace, "respond"), nth(trace, "accept")]);
    expect(sentence(narrative, "…and 3 more wrong answers, the last at 211 ms.").events).toHaveLength(6);
  });

  it("a computer you didn't know existed: the call to C3, its crash, the failure it causes", () => {
    const { trace, narrative } = slide("08-unknown-computer.yaml");
    expect(sentence(narrative, "To answer request #0, C2 called C3 (request #1) at 10 ms.").at).toBe(nth(trace, "issue", 1));
    expect(sentence(narrative, "C3 crashed at 1.5 s (fault rule 1), losing its timers and work in progress.").at).toBe(nth(trace, "crash"));
    expect(sentence(narrative, "Request #4 failed at 2.6 s: no answer after 3 attempts — all-complete fails.").at).toBe(nth(trace, "fail"));
    expect(sentence(narrative, /^C2 gave up request #4 at 2.61 s/).at).toBe(nth(trace, "abandon"));
  });

  it("lossy network: a random loss, the retry that recovers, the one request that fails", () => {
    const { trace, narrative } = slide("09-lossy-network-sweep.yaml");
    expect(sentence(narrative, "The network lost request #8 at 8 s.").at).toBe(nth(trace, "drop"));
    expect(sentence(narrative, /^…and 17 more messages lost by the network/).events).toHaveLength(17);
    expect(sentence(narrative, "Request #27 failed at 28.65 s: no answer after 3 attempts — all-complete fails.").at).toBe(nth(trace, "fail"));
  });

  it("every slide scenario: sentences select one of their own events, in range, ascending", () => {
    for (const file of sharedScenarioFiles()) {
      const { trace, narrative } = slide(file);
      expect(narrative.sentences.length, file).toBeGreaterThan(1);
      for (const s of narrative.sentences) {
        if (s.at === null) continue;
        expect(s.events, `${file}: ${s.text}`).toContain(s.at);
        expect(s.events.every((e) => e >= 0 && e < trace.length)).toBe(true);
        expect([...s.events].sort((a, b) => a - b)).toEqual(s.events);
      }
      expect(buildNarrative(trace, slide(file).summary.checks)).toEqual(narrative);
    }
  });
});

describe("the narrative of the built-in protocols", () => {
  it("raft: operations, the election, the partitions and the crash by fault rule", () => {
    const { trace, summary } = runTemplate("protocol-raft");
    const n = buildNarrative(trace, summary.checks);
    expect(n.sentences[0]!.text).toMatch(/^5 clients \(c1–c5\) invoked \d+ operations, from .* to .*: \d+ succeeded and \d+ got no answer\.$/);
    expect(trace.kindName(n.sentences[0]!.at!)).toBe("invoke");
    const elected = sentence(n, /^n\d became leader of term 1 at /);
    expect(trace.event(elected.at!).note?.name).toBe("elected");
    const partition = sentence(n, /^A partition \(fault rule 1\) separated /);
    expect(trace.event(partition.at!).reason).toBe("partition");
    const crash = sentence(n, "n2 crashed at 4.5 s (fault rule 4), losing its timers and work in progress.");
    expect(crash.at).toBe(nth(trace, "crash"));
    expect(sentence(n, "n2 restarted at 5 s.").at).toBe(nth(trace, "restart"));
    expect(n.sentences.filter((s) => s.kind !== "verdict").length).toBeLessThanOrEqual(NARRATIVE_STORY_SENTENCES_MAX);
    expect(n.sentences.at(-1)!.text).toMatch(/^Every check holds: linearizable, election-safety, .* and raft-liveness\.$/);
  });

  it("a program whose every answer is an error: the story says so, with the error, not that nothing answered", () => {
    const source = `version: 1
name: throwing echo
nodes: [{ id: n1 }]
network: { latency: 1ms }
protocol: { kind: custom, main: p.js, files: { p.js: "// a node" } }
workload: [{ kind: echo, rate: 5, duration: 1s, timeout: 1s }]
`;
    const throwing: NodeBehavior = {
      start: () => undefined,
      timer: () => undefined,
      receive: (ctx, src, body) => ctx.send(src, { type: "error", code: 13, text: "TypeError: cannot read property 'x' of null", in_reply_to: body.msg_id }),
    };
    const { trace, summary } = runText(source, 1, { behaviors: () => () => throwing });
    const n = buildNarrative(trace, summary.checks);
    const ops = summary.metrics.operations!.invoked;
    expect(n.sentences[0]!.text).toMatch(new RegExp(`^c1 invoked ${ops} operations, from .* to .*: 0 succeeded and ${ops} got an answer that leaves them open \\(an error such as 13, crash\\)\\.$`));
    const first = sentence(n, /^c1's echo \(operation #0\) was answered by n1 at .* with error 13 \("TypeError: cannot read property 'x' of null"\): it may or may not have happened — echo fails\.$/);
    expect(trace.kindName(first.at!)).toBe("complete");
    expect(first.events.map((i) => trace.kindName(i))).toEqual(["deliver", "complete"]);
    // The check's witness is this operation: its verdict is told on the same sentence.
    expect(first.fails).toEqual(["echo"]);
  });

  it("a failed check with no told event gets a sentence of its own, on its witness", () => {
    const { trace } = runTemplate("response-lost");
    const processing = nth(trace, "process");
    const n = buildNarrative(trace, [{ name: "made-up", ok: false, message: "it failed here.", witness: [processing] }]);
    expect(n.sentences.some((s) => s.kind === "story" && s.events.includes(processing))).toBe(false);
    const own = sentence(n, "made-up fails: it failed here.");
    expect(own).toMatchObject({ kind: "verdict", at: processing, events: [processing], fails: ["made-up"] });
  });
});

describe("the narrative of pauses, slow nodes and clock faults", () => {
  const paused = (faults: string, workload = "count: 1") => `version: 1
name: paused server
until: 2s
nodes: [{ id: C1, role: client }, { id: C2, role: server }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 1s }, server: { processing: 1ms } }
workload: [{ client: C1, server: C2, op: write, key: k, value: v, ${workload} }]
faults:
${faults}
checks: [all-complete, at-most-once]
`;

  it("a pause: how long, by which rule, and the request that waited for it, on the pause, its resume and the held delivery", () => {
    const { trace, narrative } = slide0(paused("  - { kind: pause, node: C2, from: 5ms, until: 205ms }"));
    expect(narrative.sentences.map((s) => s.text)).toEqual([
      'C1 sent the write (k = "v") to C2 at 0 ms.',
      "C2 paused at 5 ms for 200 ms (fault rule 1); the request waited until it resumed at 205 ms.",
      'C1 got the answer "ok" at 216 ms.',
      "Every check holds: all-complete and at-most-once.",
    ]);
    const told = narrative.sentences[1]!;
    expect(told.at).toBe(nth(trace, "pause"));
    expect(told.events).toEqual([nth(trace, "pause"), nth(trace, "resume"), nth(trace, "deliver", 0, (i) => trace.event(i).node === "C2")]);
    expect(trace.data.time[told.events[2]!]).toBe(205_000);
  });

  it("a pause that held several messages counts them; one that held nothing just ends; one the run outlived says so", () => {
    const several = slide0(paused("  - { kind: pause, node: C2, from: 5ms, until: 305ms }", "count: 3, interval: 50ms")).narrative;
    expect(sentence(several, "C2 paused at 5 ms for 300 ms (fault rule 1); 3 messages waited until it resumed at 305 ms.").kind).toBe("story");
    const idle = slide0(paused("  - { kind: pause, node: C1, from: 50ms, until: 60ms }", "count: 2, interval: 100ms")).narrative;
    expect(sentence(idle, "C1 paused at 50 ms for 10 ms (fault rule 1) and resumed at 60 ms.").kind).toBe("story");
    const outlived = slide0(paused("  - { kind: pause, node: C2, from: 5ms }")).narrative;
    expect(sentence(outlived, "C2 paused at 5 ms (fault rule 1); the run ended before it resumed.").kind).toBe("story");
  });

  it("a pause the end of every fault cut short says so", () => {
    const source = builtinProtocol("primary-backup")!.example.replace(/faults:\n[\s\S]*?checks:/, "faults:\n  - { kind: pause, node: n1, from: 9s, until: 20s }\nchecks:");
    const { trace, narrative } = slide0(source);
    const told = sentence(narrative, /^n1 paused at 9 s for 1 s \(fault rule 1\)(; .* waited until it resumed| and resumed) at 10 s, when every fault ended\.$/);
    expect(told.events).toContain(nth(trace, "resume"));
  });

  it("the random nemesis's pauses are told by the rule of the drawn schedule", () => {
    const source = paused("  - { kind: random, kinds: [pause], nodes: [C2], every: 300ms, length: { min: 50ms, max: 200ms } }", "count: 8, interval: 100ms");
    const { trace, summary, narrative } = slide0(source, 3);
    const told = sentence(narrative, /^C2 paused at .* \(fault rule \d+\)/);
    const rule = Number(/fault rule (\d+)/.exec(told.text)![1]) - 1;
    expect(summary.schedule![rule]!.kind).toBe("pause");
    expect(trace.event(told.at!).fault).toBe(rule);
  });

  it("a slow node, told from the scenario's faults on the first processing it slowed", () => {
    const file = "04-server-slow.yaml";
    const source = sharedScenario(file);
    const { trace, summary } = runText(source);
    const without = buildNarrative(trace, summary.checks);
    expect(without.sentences.some((s) => s.text.includes("slower"))).toBe(false);
    const n = buildNarrative(trace, summary.checks, scenarioFaults(source));
    const slow = sentence(n, /^C2 worked 10 times slower from 0 ms to 2 s \(fault rule 1\): processing request #0 took it 50 ms, starting at 6\.541 ms; \d+ more jobs were slowed\.$/);
    expect(slow.at).toBe(nth(trace, "process"));
    expect(trace.event(slow.at!).durationUs).toBe(50_000);
    expect(slow.events.every((i) => trace.kindName(i) === "process" && trace.data.time[i]! < 2_000_000)).toBe(true);
    // The story is still cut to its length, and the failures stay in it.
    expect(n.sentences.filter((s) => s.kind !== "verdict").length).toBeLessThanOrEqual(NARRATIVE_STORY_SENTENCES_MAX);
    expect(sentence(n, /— at-most-once fails\.$/).fails).toEqual(["at-most-once"]);
  });

  it("a clock fault: how far off and how fast, on the node's first reading in its window", () => {
    const source = paused("  - { kind: clock, node: C1, offset: 300ms, drift: 0.25, from: 0ms, until: 1s }").replace("timeout: 1s", "timeout: 100ms").replace("latency: 10ms", "latency: 60ms");
    const { trace, summary } = runText(source);
    const n = buildNarrative(trace, summary.checks, scenarioFaults(source));
    const clock = sentence(n, "C1's clock was off from 0 ms to 1 s (fault rule 1): 300 ms ahead and running 25 % fast (a 100 ms timer fires after 80 ms); at 0 ms it read 300 ms.");
    expect(clock.at).toBe(0);
    expect(trace.event(0).localTimeUs).toBe(300_000);
    // What it caused is told after it: C1's 100 ms timeout fired at 80 ms of true time.
    expect(sentence(n, "The write failed at 80 ms: no answer after 1 attempt — all-complete fails.").at).toBe(nth(trace, "fail"));
    const behind = paused("  - { kind: clock, node: C2, offset: -2s, from: 0ms }");
    const b = runText(behind);
    expect(sentence(buildNarrative(b.trace, b.summary.checks, scenarioFaults(behind)), /^C2's clock was off from 0 ms on \(fault rule 1\): 2 s behind; at 10 ms it read -1\.99 s\.$/).kind).toBe("story");
  });

  it("tells no fault from a list that does not match the run's (another scenario's, or a broken text)", () => {
    const { trace, summary } = runText(sharedScenario("04-server-slow.yaml"));
    const plain = buildNarrative(trace, summary.checks);
    expect(buildNarrative(trace, summary.checks, scenarioFaults("faults:\n  - { kind: clock, node: C2, offset: 1s }\n"))).toEqual(plain);
    expect(buildNarrative(trace, summary.checks, scenarioFaults("faults: [ {"))).toEqual(plain);
  });
});

describe("the scenario's faults, as the narrative reads them", () => {
  it("reads windows, factors and clocks in µs; prefers the random nemesis's drawn schedule", () => {
    expect(scenarioFaults("faults:\n  - { kind: slow, node: C2, factor: 10, from: 1.5s, until: 2s }\n  - { kind: clock, node: C1, offset: -250ms, drift: 0.1 }\n  - { kind: pause, node: C2, from: 100, until: 200ms }\n")).toEqual([
      { kind: "slow", node: "C2", factor: 10, fromUs: 1_500_000, untilUs: 2_000_000 },
      { kind: "clock", node: "C1", offsetUs: -250_000, drift: 0.1, fromUs: 0, untilUs: null },
      { kind: "pause", node: "C2", fromUs: 100_000, untilUs: 200_000 },
    ]);
    expect(scenarioFaults("faults:\n  - { kind: random }\n", [{ kind: "pause", node: "C2", from: "1s", until: "1.2s" }])).toEqual([{ kind: "pause", node: "C2", fromUs: 1_000_000, untilUs: 1_200_000 }]);
    expect(scenarioFaults("not: [valid")).toEqual([]);
  });
});
