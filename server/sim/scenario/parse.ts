// Reading a scenario: YAML or JSON text (JSON is read as YAML, so both get line:col), then the
// schema and the cross-reference checks, all problems at once, then the normalized Scenario.

import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode } from "yaml";
import type { z } from "zod";
import { effectiveLimits, LIMITS, type ScenarioLimits } from "../limits";
import { describeValue, formatDuration, parseDuration } from "./duration";
import { builtinProtocol } from "../protocols/registry";
import { checkProgramFiles, checkProgramSyntax } from "../programs/source";
import { makeScenarioSchema, type RawScenario } from "./schema";
import { syntaxProblem } from "./syntax";
import { semanticProblems, suggest, type PathSegment, type RawProblem } from "./semantic";
import { NODE_CHECKS, NODE_WORKLOAD_KINDS, REQUEST_RESPONSE_CHECKS } from "./types";
import type {
  BuiltinProtocol, BuiltinProtocolKind, Check, CheckName, CustomProtocol, Fault, Network, NodesProtocol, NodeWorkload, Scenario, ScenarioParseResult, ScenarioProblem, Workload,
} from "./types";

export interface ParseOptions {
  /** Lower limits than the format's own (LIMITS); a larger value is ignored. */
  limits?: Partial<ScenarioLimits>;
  /**
   * A program's files when the document leaves `protocol.files` out (the command line reads them
   * from the scenario's folder).
   */
  programFiles?: Record<string, string>;
}

/** At most this many problems are listed; the last line then says how many more there were. */
const MAX_PROBLEMS_LISTED = 100;

const schemaCache = new Map<string, ReturnType<typeof makeScenarioSchema>>();
function schemaFor(limits: ScenarioLimits) {
  const key = JSON.stringify(limits);
  let s = schemaCache.get(key);
  if (!s) {
    s = makeScenarioSchema(limits);
    if (schemaCache.size > 16) schemaCache.clear();
    schemaCache.set(key, s);
  }
  return s;
}

/** Parses a YAML or JSON scenario document. Never throws. */
export function parseScenarioText(text: string, options: ParseOptions = {}): ScenarioParseResult {
  try {
    return parseText(text, effectiveLimits(options.limits), options.programFiles);
  } catch (err) {
    return { ok: false, problems: [{ path: "", message: internalMessage(err) }] };
  }
}

/** Validates an already-parsed value (for example from JSON.parse). Never throws. */
export function validateScenario(value: unknown, options: ParseOptions = {}): ScenarioParseResult {
  try {
    return validateValue(value, effectiveLimits(options.limits), null, options.programFiles);
  } catch (err) {
    return { ok: false, problems: [{ path: "", message: internalMessage(err) }] };
  }
}

function internalMessage(err: unknown): string {
  if (err instanceof RangeError) return "the document is nested too deeply to read";
  return `the document could not be read (${err instanceof Error ? err.message : String(err)})`;
}

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

interface Locator {
  locate(path: PathSegment[], atKey: boolean): Pick<ScenarioProblem, "line" | "column" | "endLine" | "endColumn">;
}

function parseText(text: string, limits: ScenarioLimits, programFiles?: Record<string, string>): ScenarioParseResult {
  if (typeof text !== "string") return { ok: false, problems: [{ path: "", message: "the document must be text" }] };
  const bytes = utf8Length(text);
  if (bytes > limits.maxDocumentBytes) {
    return {
      ok: false,
      problems: [{ path: "", message: `the document is ${formatBytes(bytes)}; the limit is ${formatBytes(limits.maxDocumentBytes)}` }],
    };
  }
  if (text.trim() === "") return { ok: false, problems: [{ path: "", message: "the document is empty" }] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true, stringKeys: false });
  const pos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  if (doc.errors.length > 0) {
    return { ok: false, problems: [syntaxProblem(text, doc.errors, pos, text.trimStart().startsWith("{"))] };
  }
  const locator: Locator = {
    locate(path, atKey) {
      const r = findRange(doc.contents as YamlNode | null, path, atKey);
      if (!r) return {};
      const s = pos(r[0]);
      const t = pos(Math.max(r[0], r[1]));
      return { line: s.line, column: s.col, endLine: t.line, endColumn: t.col };
    },
  };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxYamlAliases });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (ALIAS_BOMB_MESSAGE.test(msg)) {
      const path = aliasBombPath(doc, limits.maxYamlAliases);
      return {
        ok: false,
        problems: [{ path: formatPath(path), message: `too many YAML aliases (at most ${limits.maxYamlAliases})`, ...locator.locate(path, false) }],
      };
    }
    const unresolved = /^Unresolved alias[^:]*: (.*)$/.exec(msg);
    return {
      ok: false,
      problems: [{ path: "", message: unresolved ? `the alias *${unresolved[1]} comes before its anchor &${unresolved[1]} (or has none)` : `the document could not be read: ${msg}` }],
    };
  }
  return validateValue(value, limits, locator, programFiles);
}

/** What the yaml library says when aliases expand past maxAliasCount. */
const ALIAS_BOMB_MESSAGE = /Excessive alias count/;
/** How deep the search for an alias bomb's place descends. */
const ALIAS_SEARCH_DEPTH_MAX = 32;

/**
 * Where the aliases pile up: descends from the document into the one map value or list item that
 * alone expands past the limit, as deep as such a child exists. The path of the whole document when
 * the expansion is spread over several fields.
 */
function aliasBombPath(doc: ReturnType<typeof parseDocument>, maxAliasCount: number): PathSegment[] {
  const path: PathSegment[] = [];
  let node: unknown = doc.contents;
  const overflows = (n: unknown) => {
    try {
      (n as YamlNode).toJS(doc, { maxAliasCount });
      return false;
    } catch (err) {
      return err instanceof Error && ALIAS_BOMB_MESSAGE.test(err.message);
    }
  };
  for (let depth = 0; depth < ALIAS_SEARCH_DEPTH_MAX; depth++) {
    let next: { seg: PathSegment; node: unknown } | null = null;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key) && pair.value && overflows(pair.value)) {
          next = { seg: String(pair.key.value), node: pair.value };
          break;
        }
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        if (overflows(node.items[i])) {
          next = { seg: i, node: node.items[i] };
          break;
        }
      }
    }
    if (!next) break;
    path.push(next.seg);
    node = next.node;
  }
  return path;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** The source range [start, end] of the node at `path`, or of the deepest ancestor that exists. */
function findRange(root: YamlNode | null, path: PathSegment[], atKey: boolean): [number, number] | null {
  let node: unknown = root;
  let best: [number, number] | null = rangeOf(root);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return best;
      if (last && atKey) return rangeOf(pair.key as YamlNode) ?? best;
      node = pair.value;
      best = rangeOf(node as YamlNode) ?? rangeOf(pair.key as YamlNode) ?? best;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg];
      if (item === undefined) return best;
      node = item;
      best = rangeOf(item as YamlNode) ?? best;
    } else return best;
  }
  return best;
}

function rangeOf(n: unknown): [number, number] | null {
  const r = (n as { range?: [number, number, number] } | null)?.range;
  return r ? [r[0], r[1]] : null;
}

/** "faults[2].match.from", or "" for the document. */
export function formatPath(path: readonly PathSegment[]): string {
  let s = "";
  for (const seg of path) {
    if (typeof seg === "number") s += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) s += s === "" ? seg : `.${seg}`;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s;
}

const KNOWN_FIELDS = [
  "version", "name", "description", "seed", "until", "maxEvents", "nodes", "network", "protocol", "workload", "faults",
  "checks", "id", "role", "clock", "offset", "drift", "latency", "loss", "duplicate", "links", "from", "to", "kind",
  "client", "server", "timeout", "retries", "backoff", "base", "max", "processing", "concurrency", "dedupe", "durable",
  "calls", "clients", "target", "outstanding", "op", "key", "value", "count", "interval", "start", "match", "type", "nth",
  "probability", "by", "node", "at", "restart", "factor", "groups", "behavior", "within", "p50", "p99", "dist", "min",
  "mean", "sd", "median", "sigma", "main", "files", "limits", "fuel", "memory", "rate", "duration", "recovery", "topology", "keys",
];

function zodToProblems(issues: readonly z.core.$ZodIssue[]): RawProblem[] {
  const out: RawProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const input = (issue as { input?: unknown }).input;
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        out.push({ path: [...path, key], message: `unknown field "${key}"${suggest(key, KNOWN_FIELDS)}`, atKey: true });
      }
      continue;
    }
    const last = path[path.length - 1];
    if ((issue.code === "invalid_type" || issue.code === "invalid_value" || issue.code === "custom") && input === undefined && typeof last === "string") {
      out.push({ path, message: `missing required field "${last}"` });
      continue;
    }
    let message = issue.message;
    if (message.startsWith("Invalid input") || message.startsWith("Too ") || message.startsWith("Invalid")) {
      if (issue.code === "invalid_type") message = `expected ${issue.expected}, got ${describeValue(input)}`;
      else if (issue.code === "too_small") message = `must be at least ${String(issue.minimum)}`;
      else if (issue.code === "too_big") message = `must be at most ${String(issue.maximum)}`;
    }
    out.push({ path, message });
  }
  return out;
}

function validateValue(value: unknown, limits: ScenarioLimits, locator: Locator | null, programFiles?: Record<string, string>): ScenarioParseResult {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return {
      ok: false,
      problems: [{ path: "", message: `a scenario is a map of fields (version, name, nodes, protocol, ...), got ${describeValue(value)}`, ...(locator ? locator.locate([], false) : {}) }],
    };
  }
  const raw: RawProblem[] = [];
  const parsed = schemaFor(limits).safeParse(value, { reportInput: true });
  if (!parsed.success) raw.push(...zodToProblems(parsed.error.issues));
  raw.push(...semanticProblems(value));
  let scenario: Scenario | null = null;
  if (parsed.success) {
    const n = normalize(parsed.data, limits, raw, programFiles);
    if (raw.length === 0) scenario = n;
  }
  if (raw.length === 0 && scenario) return { ok: true, scenario };
  return { ok: false, problems: finishProblems(raw, locator) };
}

function finishProblems(raw: RawProblem[], locator: Locator | null): ScenarioProblem[] {
  const seen = new Set<string>();
  const problems: ScenarioProblem[] = [];
  for (const p of raw) {
    const path = formatPath(p.path);
    const k = `${path}\u0000${p.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const inFile = p.file ? { file: p.file.name, ...(p.file.line !== undefined ? { fileLine: p.file.line } : {}), ...(p.file.column !== undefined ? { fileColumn: p.file.column } : {}) } : {};
    problems.push({ path, message: p.message, ...(locator ? locator.locate(p.path, p.atKey === true) : {}), ...inFile });
  }
  problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
  if (problems.length > MAX_PROBLEMS_LISTED) {
    const more = problems.length - MAX_PROBLEMS_LISTED;
    problems.length = MAX_PROBLEMS_LISTED;
    problems.push({ path: "", message: `… and ${more} more problems` });
  }
  return problems;
}

/** Fills defaults and resolves `all`; adds a problem for limits that depend on other fields. */
function normalize(r: RawScenario, limits: ScenarioLimits, problems: RawProblem[], programFiles?: Record<string, string>): Scenario {
  const untilUs = r.until ?? 60_000_000;
  if (untilUs > limits.maxUntilUs) {
    problems.push({ path: ["until"], message: `until is at most ${formatDuration(limits.maxUntilUs)}` });
  }
  const network: Network = {
    latency: r.network?.latency ?? { dist: "constant", valueUs: 1000 },
    loss: r.network?.loss ?? 0,
    duplicate: r.network?.duplicate ?? 0,
    links: (r.network?.links ?? []).map((l) => ({
      from: l.from,
      to: l.to,
      latency: l.latency ?? null,
      loss: l.loss ?? null,
      duplicate: l.duplicate ?? null,
    })),
  };
  const faults: Fault[] = r.faults ?? [];
  const base = {
    version: 1 as const,
    name: r.name,
    description: r.description ?? "",
    seed: r.seed ?? 1,
    untilUs,
    maxEvents: r.maxEvents ?? limits.defaultMaxEvents,
    nodes: r.nodes.map((n) => ({ id: n.id, role: n.role ?? null, clock: n.clock ?? null })),
    network,
    faults,
  };
  const proto = r.protocol;
  if ("builtin" in proto) return { ...base, ...normalizeNodes(r, normalizeBuiltin(proto), limits, problems) };
  if (proto.kind === "request-response") return { ...base, ...normalizeRequestResponse(r, proto as RawRequestResponse, problems) };
  return { ...base, ...normalizeNodes(r, normalizeCustom(proto as RawCustom, limits, problems, programFiles), limits, problems) };
}

type RawRequestResponse = Extract<RawScenario["protocol"], { kind: "request-response" }>;
type RawCustom = Extract<RawScenario["protocol"], { kind: "custom" }>;
type RawBuiltin = Extract<RawScenario["protocol"], { builtin: true }>;

function normalizeCustom(proto: RawCustom, limits: ScenarioLimits, problems: RawProblem[], programFiles?: Record<string, string>): CustomProtocol {
  const files = proto.files ?? programFiles ?? {};
  const names = Object.keys(files);
  if (names.length > limits.maxProgramFiles) problems.push({ path: ["protocol", "files"], message: `a program has at most ${limits.maxProgramFiles} files` });
  if (proto.files === undefined && programFiles === undefined) {
    problems.push({ path: ["protocol", "files"], message: "give the program's files (protocol.files: { name: text }); the command line reads them from the scenario's folder" });
  } else if (!(proto.main in files)) {
    problems.push({ path: ["protocol", "main"], message: `no file named ${JSON.stringify(proto.main)} in protocol.files${suggest(proto.main, names)}` });
  }
  for (const p of [...checkProgramFiles(proto.main, files), ...checkProgramSyntax(files)]) {
    if (p.path === "main") continue; // reported above, with a suggestion
    const name = p.path.startsWith("files.") ? p.path.slice("files.".length) : null;
    problems.push({
      path: name ? ["protocol", "files", name] : ["protocol", "files"],
      message: p.line !== undefined ? `syntax: ${p.message.replace(/^SyntaxError: (Error transforming [^:]+: )?/, "")} (${name ?? "file"} line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ""})` : p.message,
      ...(name ? { file: { name, line: p.line, column: p.column } } : {}),
    });
  }
  return {
    kind: "custom",
    main: proto.main,
    files: { ...files },
    limits: { fuel: proto.limits?.fuel ?? LIMITS.DEFAULT_PROGRAM_FUEL, memoryBytes: proto.limits?.memory ?? LIMITS.DEFAULT_PROGRAM_MEMORY_BYTES },
  };
}

/** A built-in protocol with every parameter filled in (defaults are parsed as if written). */
function normalizeBuiltin(proto: RawBuiltin): BuiltinProtocol {
  const def = builtinProtocol(proto.kind)!;
  const params: BuiltinProtocol["params"] = {};
  for (const p of def.parameters) {
    const given = proto[p.name];
    params[p.name] = given !== undefined ? (given as number | string | boolean) : p.kind === "duration" ? durationDefault(p.default) : p.default;
  }
  return { kind: def.kind as BuiltinProtocolKind, variant: typeof proto.variant === "string" ? proto.variant : null, params };
}

function durationDefault(v: string | number | boolean): number {
  const r = parseDuration(v, { maxUs: LIMITS.MAX_DURATION_US });
  return r.ok ? r.us : 0;
}

function normalizeRequestResponse(r: RawScenario, proto: RawRequestResponse, problems: RawProblem[]): Pick<Scenario, "protocol" | "workload" | "checks"> {
  const nodeIds = r.nodes.map((n) => n.id);
  const calls: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(proto.server?.calls ?? {})) if (v.length > 0) calls[k] = [...v];
  const workload: Workload[] = [];
  (r.workload ?? []).forEach((w, i) => {
    if (w.loop === "kind") {
      problems.push({ path: ["workload", i, "kind"], message: `a ${w.kind} workload drives programs; request-response takes open-loop (client, server) or closed-loop (clients) entries` });
      return;
    }
    workload.push(
      w.loop === "open"
        ? {
            kind: "open-loop",
            client: w.client,
            server: w.server,
            op: w.op,
            key: w.key,
            value: w.value ?? null,
            count: w.count ?? 1,
            intervalUs: w.interval ?? 0,
            startUs: w.start ?? 0,
          }
        : {
            kind: "closed-loop",
            clients: w.clients === "all" ? [...nodeIds] : [...w.clients],
            target: w.target === undefined || w.target === "random" ? "random" : typeof w.target === "string" ? [w.target] : [...w.target],
            outstanding: w.outstanding ?? 1,
            op: w.op,
            key: w.key,
            value: w.value ?? null,
            startUs: w.start ?? 0,
          },
    );
  });
  const checks: Check[] = r.checks ?? [];
  checks.forEach((c, i) => {
    if (!REQUEST_RESPONSE_CHECKS.includes(c.name)) problems.push({ path: ["checks", i], message: `${c.name} is a check of workloads for programs; request-response has ${REQUEST_RESPONSE_CHECKS.join(", ")}` });
  });
  (r.faults ?? []).forEach((f, i) => {
    const type = "match" in f ? f.match.type : null;
    if (type !== null && type !== "request" && type !== "response") {
      problems.push({ path: ["faults", i, "match", "type"], message: `message type must be request or response, got ${JSON.stringify(type)}` });
    }
  });
  return {
    protocol: {
      kind: "request-response",
      client: {
        timeoutUs: proto.client?.timeout ?? 1_000_000,
        retries: proto.client?.retries ?? 0,
        backoff: proto.client?.backoff ?? null,
      },
      server: {
        processing: proto.server?.processing ?? { dist: "constant", valueUs: 0 },
        concurrency: proto.server?.concurrency ?? "unlimited",
        dedupe: proto.server?.dedupe ?? false,
        durable: proto.server?.durable ?? false,
        calls,
      },
    },
    workload,
    checks,
  };
}

/** The check each workload kind always reports. */
const WORKLOAD_CHECK: Record<NodeWorkload["kind"], CheckName> = {
  echo: "echo",
  "unique-ids": "unique-ids",
  broadcast: "set-full",
  "g-set": "set-full",
  "g-counter": "counter",
  "pn-counter": "counter",
  "lin-kv": "linearizable",
  txn: "atomicity",
};

function normalizeNodes(r: RawScenario, protocol: NodesProtocol, limits: ScenarioLimits, problems: RawProblem[]): Pick<Scenario, "protocol" | "workload" | "checks"> {
  const members = r.nodes.filter((n) => n.role !== "client").length;
  if (members === 0) problems.push({ path: ["nodes"], message: "list at least one node that runs the program (a node whose role is not client)" });
  if (members > limits.maxProgramNodes) problems.push({ path: ["nodes"], message: `at most ${limits.maxProgramNodes} nodes run a program; this scenario has ${members}` });
  const workload: NodeWorkload[] = [];
  (r.workload ?? []).forEach((w, i) => {
    if (w.loop !== "kind") {
      problems.push({ path: ["workload", i], message: `a program is driven by a workload with a kind (${NODE_WORKLOAD_KINDS.join(", ")}), not by ${w.loop}-loop requests` });
      return;
    }
    if (workload.length > 0) {
      problems.push({ path: ["workload", i], message: "a program takes one workload entry" });
      return;
    }
    if (w.topology !== undefined && w.kind !== "broadcast") problems.push({ path: ["workload", i, "topology"], message: "only a broadcast workload has a topology" });
    if (w.keys !== undefined && w.kind !== "lin-kv") problems.push({ path: ["workload", i, "keys"], message: "only a lin-kv workload has keys" });
    workload.push({
      kind: w.kind,
      clients: w.clients ?? 1,
      rate: w.rate ?? 10,
      startUs: w.start ?? 0,
      durationUs: w.duration ?? 10_000_000,
      timeoutUs: w.timeout ?? 5_000_000,
      recoveryUs: w.recovery ?? 10_000_000,
      topology: w.topology ?? "grid",
      keys: w.keys ?? 5,
    });
  });
  const checks: Check[] = [...(r.checks ?? [])];
  checks.forEach((c, i) => {
    if (!NODE_CHECKS.includes(c.name)) problems.push({ path: ["checks", i], message: `${c.name} is a check of request-response; a program's checks are ${NODE_CHECKS.join(", ")}` });
    else if (WORKLOAD_CHECKS.includes(c.name) && !workload.some((w) => WORKLOAD_CHECK[w.kind] === c.name)) {
      problems.push({ path: ["checks", i], message: `${c.name} checks the history of a ${Object.entries(WORKLOAD_CHECK).filter(([, v]) => v === c.name).map(([k]) => k).join(" or ")} workload; this scenario has none` });
    }
  });
  // The workload's own check is always reported, first.
  for (const w of workload) {
    const own = WORKLOAD_CHECK[w.kind];
    if (!checks.some((c) => c.name === own)) checks.unshift({ name: own } as Check);
  }
  return { protocol, workload, checks };
}

const WORKLOAD_CHECKS: readonly CheckName[] = ["echo", "unique-ids", "set-full", "counter", "linearizable"];
