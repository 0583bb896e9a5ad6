// Runs of nodes with programs written as node behaviors in TypeScript (the sandbox is tested on
// its own): workloads and their checks, timings worked out from the definitions, partitions,
// crashes with restart, durable storage and the services.

import { describe, expect, it } from "vitest";
import { parseScenarioText, runScenario, type ProgramHost } from "@/server/sim";
import type { MessageBody, NodeBehavior, NodeContext } from "@/server/sim/nodes/api";

/** A program host whose every program node runs `make()`'s behavior. */
function host(make: () => NodeBehavior): ProgramHost {
  return { behaviors: () => make };
}

function scenario(yaml: string) {
  const r = parseScenarioText(yaml);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  return r.scenario;
}

const reply = (ctx: NodeContext, src: string, req: MessageBody, body: Record<string, unknown>) =>
  ctx.send(src, { ...body, type: String(body.type), in_reply_to: req.msg_id });

const echoServer = (): NodeBehavior => ({
  start: () => undefined,
  timer: () => undefined,
  receive: (ctx, src, body) => {
    if (body.type === "echo") reply(ctx, src, body, { type: "echo_ok", echo: body.echo });
  },
});

const program = (main = "p.js") => `protocol: { kind: custom, main: ${main}, files: { ${main}: "// a node" } }`;

describe("a run of nodes", () => {
  it("echoes with latencies worked out from the definitions: two 10 ms hops", () => {
    const s = scenario(`version: 1
name: echo
nodes: [{ id: n1 }, { id: n2 }]
network: { latency: 10ms }
${program()}
workload: [{ kind: echo, clients: 2, rate: 20, duration: 5s }]
`);
    const { summary, trace } = runScenario(s, { seed: 3, programs: host(echoServer) });
    expect(summary.checks).toEqual([{ name: "echo", type: "safety", ok: true }]);
    expect(summary.stoppedBy).toBe("done");
    const ops = summary.metrics.operations!;
    // 20 operations a second for 5 s, each client waiting for its answer: close to 100.
    expect(ops.invoked).toBeGreaterThan(70);
    expect(ops.invoked).toBeLessThan(130);
    expect(ops).toMatchObject({ ok: ops.invoked, failed: 0, indeterminate: 0, pending: 0 });
    // Every operation takes exactly 20 ms: 10 ms there, the node answers at once, 10 ms back.
    expect(summary.metrics.latencyMs).toMatchObject({ p50: 20, max: 20 });
    // Client c1 talks to n1 and c2 to n2; the echo request and its answer are both in the trace.
    const sends = [];
    for (let i = 0; i < trace!.length; i++) {
      const e = trace!.event(i);
      if (e.kind === "send") sends.push(`${e.node}>${e.to}:${e.type}`);
    }
    expect(new Set(sends)).toEqual(new Set(["c1>n1:echo", "n1>c1:echo_ok", "c2>n2:echo", "n2>c2:echo_ok"]));
  });

  it("is deterministic: the same seed gives the same digest, another seed another", () => {
    const s = scenario(`version: 1
name: echo
nodes: [{ id: n1 }]
network: { latency: { dist: uniform, min: 1ms, max: 20ms }, loss: 0.1 }
${program()}
workload: [{ kind: echo, rate: 50, duration: 2s, timeout: 100ms }]
`);
    const a = runScenario(s, { seed: 5, programs: host(echoServer) }).summary;
    const b = runScenario(s, { seed: 5, programs: host(echoServer) }).summary;
    const c = runScenario(s, { seed: 6, programs: host(echoServer) }).summary;
    expect(a.traceDigest).toBe(b.traceDigest);
    expect(c.traceDigest).not.toBe(a.traceDigest);
    // Lost requests or answers leave operations indeterminate: the client waited 100 ms in vain.
    expect(a.metrics.operations!.indeterminate).toBeGreaterThan(0);
  });

  it("fails a workload's own check when not one operation succeeded, instead of holding by default", () => {
    const base = `version: 1
name: echo
nodes: [{ id: n1 }]
network: { latency: 1ms }
${program()}
`;
    // Every request answered with error 13 (the program threw): nothing to compare.
    const crashing = (): NodeBehavior => ({ ...echoServer(), receive: (ctx, src, body) => reply(ctx, src, body, { type: "error", code: 13, text: "TypeError" }) });
    const refusing = (): NodeBehavior => ({ ...echoServer(), receive: (ctx, src, body) => reply(ctx, src, body, { type: "error", code: 10, text: "not supported" }) });
    for (const kind of ["echo", "unique-ids", "lin-kv"]) {
      const s = scenario(`${base}workload: [{ kind: ${kind}, rate: 10, duration: 1s, recovery: 1s }]\n`);
      const open = runScenario(s, { seed: 1, programs: host(crashing) }).summary;
      const n = open.metrics.operations!.invoked;
      expect(open.metrics.operations).toMatchObject({ ok: 0, indeterminate: n });
      expect(open.checks).toHaveLength(1); // the workload's own check, always reported
      for (const c of open.checks) {
        expect(c).toMatchObject({ ok: false, type: "liveness" });
        expect(c.message).toBe(`none of the ${n} operations succeeded (${n} indeterminate (no answer, or an error that leaves it open)), so there is no answer to check`);
        expect(c.witness!.length).toBeGreaterThan(0);
      }
      const refused = runScenario(s, { seed: 1, programs: host(refusing) }).summary;
      expect(refused.checks.map((c) => c.message)).toEqual(refused.checks.map(() => `none of the ${n} operations succeeded (${n} failed), so there is no answer to check`));
    }
    // One success is enough for the check to judge the answers as before.
    const ok = runScenario(scenario(`${base}workload: [{ kind: echo, rate: 10, duration: 1s }]\n`), { seed: 1, programs: host(echoServer) }).summary;
    expect(ok.checks.find((c) => c.name === "echo")).toEqual({ name: "echo", type: "safety", ok: true });
  });

  it("converges through a partition with a gossip that retries, and loses messages with one that does not", () => {
    const s = scenario(`version: 1
name: broadcast through a partition
nodes: [{ id: n1 }, { id: n2 }, { id: n3 }, { id: n4 }]
network: { latency: 5ms }
${program()}
workload: [{ kind: broadcast, clients: 2, rate: 40, duration: 4s, recovery: 2s, topology: line }]
faults: [{ kind: partition, groups: [[n1, n2, c1], [n3, n4, c2]], from: 1s, until: 3s }]
`);
    const good = runScenario(s, { seed: 1, programs: host(() => gossip(true)) }).summary;
    expect(good.checks[0]).toMatchObject({ name: "set-full", ok: true });
    expect(good.checks[0]!.message).toMatch(/^all \d+ acknowledged elements are in every final read; visible everywhere after/);
    expect(good.stoppedBy).toBe("done");
    // Messages across the partition were lost while it lasted.
    expect(good.metrics.messages.droppedBy.partition).toBeGreaterThan(0);
    const naive = runScenario(s, { seed: 1, programs: host(() => gossip(false)) }).summary;
    expect(naive.checks[0]).toMatchObject({ name: "set-full", ok: false });
    expect(naive.checks[0]!.message).toMatch(/acknowledged elements are missing from a final read/);
    expect(naive.checks[0]!.witness).toHaveLength(2);
  });

  it("loses a counter's state on a crash unless it is kept in durable storage; the node restarts", () => {
    const s = scenario(`version: 1
name: counter through a crash
nodes: [{ id: n1 }]
network: { latency: 2ms }
${program()}
workload: [{ kind: g-counter, rate: 20, duration: 4s, recovery: 1s }]
faults: [{ kind: crash, node: n1, at: 2s, restart: 300ms }]
`);
    const volatile = runScenario(s, { seed: 2, programs: host(() => counterNode(false)) });
    const durable = runScenario(s, { seed: 2, programs: host(() => counterNode(true)) });
    expect(volatile.summary.checks[0]).toMatchObject({ name: "counter", ok: false });
    expect(volatile.summary.checks[0]!.message).toMatch(/n1's final read is \d+; it must be/);
    expect(durable.summary.checks[0]).toMatchObject({ name: "counter", ok: true });
    // The node was started at 0 and again when it came back.
    const starts = (t: typeof durable.trace) => {
      const out: string[] = [];
      for (let i = 0; i < t!.length; i++) if (["crash", "restart"].includes(t!.kindName(i))) out.push(`${t!.event(i).timeUs / 1000} ${t!.kindName(i)}`);
      return out;
    };
    expect(starts(durable.trace)).toEqual(["2000 crash", "2300 restart"]);
  });

  it("answers from the services: a node that proxies to lin-kv", () => {
    const s = scenario(`version: 1
name: proxy
nodes: [{ id: n1 }]
network: { latency: 1ms }
${program()}
workload: [{ kind: lin-kv, rate: 50, duration: 2s, keys: 2 }]
`);
    const { summary, trace } = runScenario(s, { seed: 4, programs: host(linKvProxy) });
    expect(summary.metrics.operations!.ok).toBe(summary.metrics.operations!.invoked);
    let toService = 0;
    for (let i = 0; i < trace!.length; i++) if (trace!.kindName(i) === "deliver" && trace!.event(i).node === "lin-kv") toService++;
    expect(toService).toBe(summary.metrics.operations!.invoked);
  });
});

/** Broadcast by gossip to the topology's neighbours; `retry` resends until each neighbour acknowledges. */
function gossip(retry: boolean): NodeBehavior {
  let peers: string[] = [];
  const seen = new Set<unknown>();
  const unacked = new Map<string, unknown>();
  let next = 0;
  const spread = (ctx: NodeContext, message: unknown, except: string | null) => {
    for (const p of peers) {
      if (p === except) continue;
      const id = next++;
      if (retry) unacked.set(`${p} ${id}`, message);
      ctx.send(p, { type: "gossip", message, msg_id: id });
    }
  };
  return {
    start: (ctx) => {
      if (retry) ctx.setTimer(200_000, "retry");
    },
    timer: (ctx) => {
      for (const [k, message] of unacked) ctx.send(k.split(" ")[0]!, { type: "gossip", message, msg_id: Number(k.split(" ")[1]) });
      ctx.setTimer(200_000, "retry");
    },
    receive: (ctx, src, body) => {
      switch (body.type) {
        case "topology":
          peers = (body.topology as Record<string, string[]>)[ctx.id] ?? [];
          return reply(ctx, src, body, { type: "topology_ok" });
        case "read":
          return reply(ctx, src, body, { type: "read_ok", messages: [...seen] });
        case "broadcast":
        case "gossip":
          if (!seen.has(body.message)) {
            seen.add(body.message);
            spread(ctx, body.message, src);
          }
          return reply(ctx, src, body, { type: body.type === "gossip" ? "gossip_ok" : "broadcast_ok" });
        case "gossip_ok":
          unacked.delete(`${src} ${body.in_reply_to}`);
      }
    },
  };
}

/** A one-node counter: in memory (lost on a crash) or in durable storage. */
function counterNode(durable: boolean): NodeBehavior {
  let value = 0;
  return {
    start: (ctx) => {
      value = durable ? Number(ctx.storage.get("value") ?? 0) : 0;
    },
    timer: () => undefined,
    receive: (ctx, src, body) => {
      if (body.type === "add") {
        value += Number(body.delta);
        if (durable) ctx.storage.set("value", value);
        reply(ctx, src, body, { type: "add_ok" });
      } else if (body.type === "read") reply(ctx, src, body, { type: "read_ok", value });
    },
  };
}

/** Forwards each client request to the lin-kv service and the service's answer back. */
function linKvProxy(): NodeBehavior {
  const waiting = new Map<number, { src: string; msgId: unknown }>();
  let next = 0;
  return {
    start: () => undefined,
    timer: () => undefined,
    receive: (ctx, src, body) => {
      if (src === "lin-kv") {
        const w = waiting.get(Number(body.in_reply_to));
        if (!w) return;
        waiting.delete(Number(body.in_reply_to));
        ctx.send(w.src, { ...body, type: body.type, in_reply_to: w.msgId as number });
        return;
      }
      const id = next++;
      waiting.set(id, { src, msgId: body.msg_id });
      ctx.send("lin-kv", { ...body, type: body.type, msg_id: id });
    },
  };
}

