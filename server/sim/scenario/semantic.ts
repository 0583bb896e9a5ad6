// Cross-reference checks that a schema cannot express: unknown or duplicate node ids,
// self-calls and call cycles, links and partitions. They read the raw value, so they report even when other fields are malformed.

import { SERVICE_IDS } from "./types";

export type PathSegment = string | number;

export interface RawProblem {
  path: PathSegment[];
  message: string;
  /** A program file's problem: where in the file. */
  file?: { name: string; line?: number; column?: number };
  /** Point at the key of the last segment instead of its value (unknown fields). */
  atKey?: boolean;
}

export const NODE_ID_RE = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => v !== null && typeof v === "object" && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function semanticProblems(raw: unknown): RawProblem[] {
  const out: RawProblem[] = [];
  if (!isRec(raw)) return out;
  const ids = new Map<string, number>();
  list(raw.nodes).forEach((n, i) => {
    if (!isRec(n) || typeof n.id !== "string") return;
    const id = n.id;
    if (!NODE_ID_RE.test(id)) {
      out.push({
        path: ["nodes", i, "id"],
        message: `node id ${JSON.stringify(id)} is not valid: start with a letter, then letters, digits, _ or -, at most 32 characters`,
      });
      return;
    }
    const first = ids.get(id);
    if (first !== undefined) out.push({ path: ["nodes", i, "id"], message: `duplicate node id "${id}" (also nodes[${first}])` });
    else ids.set(id, i);
  });
  const nodeCount = ids.size;
  // A run of nodes also has its workload's clients c1..cN and the services, which faults may name.
  if (isRec(raw.protocol) && raw.protocol.kind !== "request-response") {
    for (const [i, n] of list(raw.nodes).entries()) {
      if (isRec(n) && typeof n.id === "string" && (SERVICE_IDS as readonly string[]).includes(n.id)) {
        out.push({ path: ["nodes", i, "id"], message: `${n.id} is the id of a built-in service; choose another` });
      }
    }
    const w = list(raw.workload).find((x) => isRec(x) && "kind" in x);
    const clients = isRec(w) && typeof w.clients === "number" && Number.isInteger(w.clients) && w.clients > 0 ? Math.min(w.clients, 1024) : w ? 1 : 0;
    for (let c = 1; c <= clients; c++) if (!ids.has(`c${c}`)) ids.set(`c${c}`, -1);
    for (const s of SERVICE_IDS) if (!ids.has(s)) ids.set(s, -1);
  }

  const ref = (v: unknown, path: PathSegment[]): string | null => {
    if (typeof v !== "string") return null;
    if (!ids.has(v)) {
      out.push({ path, message: `unknown node ${JSON.stringify(v)}${suggest(v, [...ids.keys()])}` });
      return null;
    }
    return v;
  };

  // Network links.
  const network = raw.network;
  if (isRec(network)) {
    const seen = new Map<string, number>();
    list(network.links).forEach((l, i) => {
      if (!isRec(l)) return;
      const from = ref(l.from, ["network", "links", i, "from"]);
      const to = ref(l.to, ["network", "links", i, "to"]);
      if (from !== null && to !== null) {
        if (from === to) out.push({ path: ["network", "links", i, "to"], message: "a link joins two different nodes" });
        const k = `${from}\u0000${to}`;
        const prev = seen.get(k);
        if (prev !== undefined) {
          out.push({ path: ["network", "links", i], message: `the link ${from} → ${to} is already given in network.links[${prev}]` });
        } else seen.set(k, i);
      }
    });
  }

  // Downstream calls.
  const protocol = raw.protocol;
  if (isRec(protocol) && isRec(protocol.server) && isRec(protocol.server.calls)) {
    const calls = protocol.server.calls;
    const graph = new Map<string, string[]>();
    for (const [caller, callees] of Object.entries(calls)) {
      const base: PathSegment[] = ["protocol", "server", "calls", caller];
      const c = ids.has(caller) ? caller : null;
      if (c === null) out.push({ path: base, message: `unknown node ${JSON.stringify(caller)}${suggest(caller, [...ids.keys()])}`, atKey: true });
      const targets: string[] = [];
      const seen = new Set<string>();
      list(callees).forEach((t, j) => {
        const r = ref(t, [...base, j]);
        if (r === null) return;
        if (r === caller) out.push({ path: [...base, j], message: `${caller} cannot call itself` });
        else if (seen.has(r)) out.push({ path: [...base, j], message: `${caller} already calls ${r}` });
        else {
          seen.add(r);
          targets.push(r);
        }
      });
      if (c !== null) graph.set(c, targets);
    }
    const cycle = findCycle(graph);
    if (cycle) {
      out.push({ path: ["protocol", "server", "calls", cycle[0] as string], message: `calls form a cycle: ${cycle.join(" → ")}`, atKey: true });
    }
  }

  // Workload.
  list(raw.workload).forEach((w, i) => {
    if (!isRec(w) || "kind" in w) return;
    const base: PathSegment[] = ["workload", i];
    if ("client" in w) {
      const c = ref(w.client, [...base, "client"]);
      const s = ref(w.server, [...base, "server"]);
      if (c !== null && s !== null && c === s) {
        out.push({ path: [...base, "server"], message: `a client cannot send requests to itself (${c})` });
      }
    } else if ("clients" in w) {
      const clients: string[] = [];
      if (w.clients === "all") clients.push(...ids.keys());
      else list(w.clients).forEach((c, j) => {
        const r = ref(c, [...base, "clients", j]);
        if (r !== null) clients.push(r);
      });
      let targets: string[] | null = null;
      if (w.target === undefined || w.target === "random") {
        if (nodeCount < 2 && ids.size > 0) out.push({ path: [...base, "target"], message: "a random target needs at least two nodes" });
      } else if (typeof w.target === "string") {
        const r = ref(w.target, [...base, "target"]);
        if (r !== null) targets = [r];
      } else if (Array.isArray(w.target)) {
        targets = [];
        w.target.forEach((t, j) => {
          const r = ref(t, [...base, "target", j]);
          if (r !== null) targets?.push(r);
        });
      }
      if (targets !== null && targets.length > 0) {
        for (const c of clients) {
          if (targets.every((t) => t === c)) {
            out.push({ path: [...base, "target"], message: `client ${c} has no target other than itself` });
            break;
          }
        }
      }
    }
  });

  // Faults.
  list(raw.faults).forEach((f, i) => {
    if (!isRec(f)) return;
    const base: PathSegment[] = ["faults", i];
    if ("node" in f) ref(f.node, [...base, "node"]);
    if (isRec(f.match)) {
      ref(f.match.from, [...base, "match", "from"]);
      ref(f.match.to, [...base, "match", "to"]);
    }
    if (f.kind === "random") list(f.nodes).forEach((n, ni) => ref(n, [...base, "nodes", ni]));
    if (f.kind === "partition") {
      const where = new Map<string, number>();
      list(f.groups).forEach((g, gi) => {
        list(g).forEach((n, ni) => {
          const r = ref(n, [...base, "groups", gi, ni]);
          if (r === null) return;
          const prev = where.get(r);
          if (prev !== undefined) {
            out.push({ path: [...base, "groups", gi, ni], message: `${r} is already in group ${prev + 1}` });
          } else where.set(r, gi);
        });
      });
    }
  });

  // Checks listed twice.
  const names = new Map<string, number>();
  list(raw.checks).forEach((c, i) => {
    const name = typeof c === "string" ? c : isRec(c) && Object.keys(c).length === 1 ? Object.keys(c)[0] : undefined;
    if (name === undefined) return;
    const prev = names.get(name);
    if (prev !== undefined) out.push({ path: ["checks", i], message: `check "${name}" is already listed (checks[${prev}])` });
    else names.set(name, i);
  });
  return out;
}

/** A cycle in the call graph as [a, b, ..., a], or null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, number>(); // 1: on the stack, 2: done
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    state.set(n, 1);
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      const s = state.get(m);
      if (s === 1) return [...stack.slice(stack.indexOf(m)), m];
      if (s === undefined) {
        const c = visit(m);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, 2);
    return null;
  };
  for (const n of graph.keys()) {
    if (!state.has(n)) {
      const c = visit(n);
      if (c) return c;
    }
  }
  return null;
}

/** ' (did you mean "C1"?)' when a known name is one or two edits away. */
export function suggest(word: string, known: readonly string[]): string {
  let best: string | null = null;
  let bestD = 3;
  for (const k of known) {
    if (Math.abs(k.length - word.length) >= bestD) continue;
    const d = editDistance(word.toLowerCase(), k.toLowerCase(), bestD);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== null && bestD <= 2 ? ` (did you mean "${best}"?)` : "";
}

function editDistance(a: string, b: string, cap: number): number {
  if (a.length > 64 || b.length > 64) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? cap;
}
