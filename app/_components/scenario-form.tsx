"use client";
// The form editor over the same document as the text editor: every part of the format (nodes,
// network and links, the protocol's parameters, the workload, each fault's fields, each check's
// parameters). Each keystroke rewrites only that field of the YAML (comments and the rest of the
// text stay as they were), so the format's problems show under the field as you type, and the
// text editor shows the same document: the two are one round trip.
import { parseDocument, isMap, type Document } from "yaml";
import type { ScenarioProblemView } from "@/server/scenarios/validate";
import { BUILTIN_PROTOCOLS, builtinProtocol } from "@/server/sim/protocols/registry";
import { BYZANTINE_BEHAVIORS, CHECK_NAMES, FAULT_KINDS, NODE_CHECKS, NODE_WORKLOAD_KINDS, PROTOCOL_CHECK_NAMES, REQUEST_RESPONSE_CHECKS, TOPOLOGIES } from "@/server/sim/scenario/types";
import { appendItem, editText, removeItem, setField } from "./form/document";
import { Check, DistField, Field, ListSection, Select, TextArea, pathText, type FormDoc, type Path } from "./form/fields";

const FAULT_PRESETS: Record<string, Record<string, unknown>> = {
  drop: { kind: "drop", match: { type: "request", nth: 1 } },
  delay: { kind: "delay", match: { type: "response" }, by: "200ms" },
  duplicate: { kind: "duplicate", match: { type: "request", nth: 1 } },
  crash: { kind: "crash", node: "", at: "50ms", restart: "500ms" },
  slow: { kind: "slow", node: "", factor: 10, from: "0ms", until: "1s" },
  partition: { kind: "partition", groups: [], from: "100ms", until: "1s" },
  byzantine: { kind: "byzantine", node: "", behavior: "lie" },
  clock: { kind: "clock", node: "", offset: "0ms", drift: 0.5 },
  pause: { kind: "pause", node: "", from: "100ms", until: "600ms" },
  random: { kind: "random", every: "1s", length: { min: "100ms", max: "1s" } },
};

const WORKLOAD_PRESETS: Record<string, Record<string, unknown>> = {
  "open loop (one client, a count of requests)": { client: "", server: "", op: "read", key: "k", count: 10, interval: "10ms" },
  "closed loop (clients keep requests in flight)": { clients: "all", target: "random", outstanding: 1, op: "read", key: "k" },
  ...Object.fromEntries(NODE_WORKLOAD_KINDS.map((k) => [`${k} (for programs and built-in protocols)`, { kind: k }])),
};

const PROTOCOL_KINDS = ["request-response", "custom", ...BUILTIN_PROTOCOLS.map((p) => p.kind)];

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A check entry's name and parameters: "all-complete" or { latency: { p99: 500ms } }. */
function checkParts(entry: unknown): { name: string; params: Record<string, unknown> } {
  if (typeof entry === "string") return { name: entry, params: {} };
  if (entry && typeof entry === "object" && !Array.isArray(entry)) {
    const [name, params] = Object.entries(entry as Record<string, unknown>)[0] ?? ["", {}];
    return { name, params: params && typeof params === "object" ? (params as Record<string, unknown>) : {} };
  }
  return { name: String(entry ?? ""), params: {} };
}

const CHECK_PARAMS: Record<string, string[]> = { "all-complete": ["within"], "exactly-once": ["within"], latency: ["p50", "p99", "max"] };

export function ScenarioForm({ source, onChange, problems, readOnly }: { source: string; onChange: (s: string) => void; problems: ScenarioProblemView[]; readOnly?: boolean }) {
  const parsed = parseDocument(source);
  if (parsed.errors.length > 0 || !isMap(parsed.contents)) {
    return <div className="alert warn">The text is not valid YAML yet, so the form cannot show it. Fix it in the text editor: {problems[0]?.message ?? parsed.errors[0]?.message.split("\n")[0]}</div>;
  }
  const data = (parsed.toJS() ?? {}) as Record<string, unknown>;
  const apply = (mutate: (d: Document) => void) => {
    const next = editText(source, mutate);
    if (next !== null && next !== source) onChange(next);
  };
  const nodeIds = asList(data.nodes)
    .map((n) => (n && typeof n === "object" ? (n as { id?: unknown }).id : undefined))
    .filter((id): id is string => typeof id === "string" && id !== "");
  const doc: FormDoc = {
    readOnly: Boolean(readOnly),
    nodeIds,
    get: (path) => path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined), data),
    set: (path, value) => apply((d) => setField(d, path, value)),
    append: (path, value) => apply((d) => appendItem(d, path, value)),
    removeAt: (path, index) => apply((d) => removeItem(d, path, index)),
    errorsAt: (path, exact) => {
      const p = pathText(path);
      return problems.filter((x) => x.path === p || (!exact && (x.path.startsWith(p + ".") || x.path.startsWith(p + "["))));
    },
  };

  const protocolKind = String((data.protocol as { kind?: unknown } | undefined)?.kind ?? "");
  const builtin = builtinProtocol(protocolKind);
  const availableChecks = protocolKind === "request-response" ? REQUEST_RESPONSE_CHECKS : builtin ? [...NODE_CHECKS.filter((c) => !(PROTOCOL_CHECK_NAMES as readonly string[]).includes(c)), ...builtin.checks.map((c) => c.name)] : protocolKind === "custom" ? NODE_CHECKS : CHECK_NAMES;

  return (
    <div className="stack scenario-form" data-testid="scenario-form">
      <datalist id="node-ids">
        {nodeIds.map((id) => (
          <option key={id} value={id} />
        ))}
      </datalist>
      <div className="grid cols-2">
        <Field doc={doc} path={["name"]} label="Name" kind="text" />
        <div className="inline-fields">
          <Field doc={doc} path={["seed"]} label="Default seed" kind="number" />
          <Field doc={doc} path={["until"]} label="Stop at" hint="virtual time, e.g. 10s" />
          <Field doc={doc} path={["maxEvents"]} label="Step limit" kind="number" hint="maxEvents" />
        </div>
      </div>
      <TextArea doc={doc} path={["description"]} label="Description" />

      <ListSection
        doc={doc}
        path={["nodes"]}
        title="Nodes"
        items={asList(data.nodes)}
        addLabel="Add a node"
        addOptions={["client", "server", "node"]}
        onAdd={(role) => doc.append(["nodes"], { id: nextNodeId(nodeIds, role), ...(role === "node" ? {} : { role }) })}
        render={(i) => (
          <div className="inline-fields">
            <Field doc={doc} path={["nodes", i, "id"]} label="Id" kind="text" />
            <Field doc={doc} path={["nodes", i, "role"]} label="Role" kind="text" />
            <Field doc={doc} path={["nodes", i, "clock", "offset"]} label="Clock offset" hint="e.g. -5ms" />
            <Field doc={doc} path={["nodes", i, "clock", "drift"]} label="Clock drift" kind="number" hint="0.01 = 1% fast" />
          </div>
        )}
      />

      <section aria-label="Network">
        <h3>Network</h3>
        <DistField doc={doc} path={["network", "latency"]} label="Latency" hint="each message" />
        <div className="inline-fields">
          <Field doc={doc} path={["network", "loss"]} label="Loss probability" kind="number" />
          <Field doc={doc} path={["network", "duplicate"]} label="Duplicate probability" kind="number" />
        </div>
        <ListSection
          doc={doc}
          path={["network", "links"]}
          title="Links"
          items={asList((data.network as { links?: unknown } | undefined)?.links)}
          empty="No link overrides: every pair uses the network's settings."
          addLabel="Add a link override"
          addOptions={["one direction of a pair"]}
          onAdd={() => doc.append(["network", "links"], { from: nodeIds[0] ?? "", to: nodeIds[1] ?? "", latency: "100ms" })}
          render={(i) => (
            <>
              <div className="inline-fields">
                <Field doc={doc} path={["network", "links", i, "from"]} label="From" kind="text" listId="node-ids" />
                <Field doc={doc} path={["network", "links", i, "to"]} label="To" kind="text" listId="node-ids" />
                <Field doc={doc} path={["network", "links", i, "loss"]} label="Loss" kind="number" />
                <Field doc={doc} path={["network", "links", i, "duplicate"]} label="Duplicate" kind="number" />
              </div>
              <DistField doc={doc} path={["network", "links", i, "latency"]} label="Latency" />
            </>
          )}
        />
      </section>

      <section aria-label="Protocol">
        <h3>Protocol</h3>
        <Select doc={doc} path={["protocol", "kind"]} label="Kind" options={PROTOCOL_KINDS} allowNone={false} onPick={(k) => doc.set(["protocol"], { kind: k })} />
        {protocolKind === "request-response" ? (
          <>
            <div className="inline-fields">
              <Field doc={doc} path={["protocol", "client", "timeout"]} label="Client timeout" />
              <Field doc={doc} path={["protocol", "client", "retries"]} label="Retries" kind="number" />
              <Select doc={doc} path={["protocol", "client", "backoff", "kind"]} label="Backoff" options={["constant", "exponential"]} onPick={(k) => doc.set(["protocol", "client", "backoff"], k ? { kind: k, base: "50ms", max: "1s" } : undefined)} />
              {doc.get(["protocol", "client", "backoff"]) !== undefined ? (
                <>
                  <Field doc={doc} path={["protocol", "client", "backoff", "base"]} label="Backoff base" />
                  <Field doc={doc} path={["protocol", "client", "backoff", "max"]} label="Backoff max" />
                </>
              ) : null}
            </div>
            <DistField doc={doc} path={["protocol", "server", "processing"]} label="Server processing time" />
            <div className="inline-fields">
              <Field doc={doc} path={["protocol", "server", "concurrency"]} label="Concurrency" hint="a number or unlimited" />
              <Check doc={doc} path={["protocol", "server", "dedupe"]} label="Deduplicate repeats (at-most-once)" />
              <Check doc={doc} path={["protocol", "server", "durable"]} label="Dedupe table survives crashes" />
            </div>
            <Field doc={doc} path={["protocol", "server", "calls"]} label="Downstream calls" kind="flow" hint="{ C2: [C3] }: C2 calls C3 before answering" wide />
          </>
        ) : null}
        {builtin ? (
          <div className="inline-fields">
            <Select doc={doc} path={["protocol", "variant"]} label="Variant" options={builtin.variants.map((v) => v.name)} />
            {builtin.parameters.map((p) =>
              p.kind === "boolean" ? (
                <Check key={p.name} doc={doc} path={["protocol", p.name]} label={`${p.name}: ${p.doc}`} />
              ) : p.kind === "enum" ? (
                <Select key={p.name} doc={doc} path={["protocol", p.name]} label={p.name} options={p.values ?? []} />
              ) : (
                <Field key={p.name} doc={doc} path={["protocol", p.name]} label={p.name} kind={p.kind === "duration" ? "scalar" : "number"} placeholder={String(p.default)} />
              ),
            )}
          </div>
        ) : null}
        {protocolKind === "custom" ? <Field doc={doc} path={["protocol", "main"]} label="Main file" kind="text" hint="the program's files are edited in their own tabs" /> : null}
      </section>

      <ListSection
        doc={doc}
        path={["workload"]}
        title="Workload"
        items={asList(data.workload)}
        empty="No workload: nothing is asked of the system."
        addLabel="Add a workload entry"
        addOptions={Object.keys(WORKLOAD_PRESETS)}
        onAdd={(k) => {
          const preset = { ...WORKLOAD_PRESETS[k] };
          if ("client" in preset) Object.assign(preset, { client: nodeIds[0] ?? "", server: nodeIds[1] ?? "" });
          doc.append(["workload"], preset);
        }}
        render={(i, item) => <WorkloadEntry doc={doc} i={i} item={item} />}
      />

      <ListSection
        doc={doc}
        path={["faults"]}
        title="Faults"
        items={asList(data.faults)}
        empty="No faults: everything works."
        addLabel="Add a fault"
        addOptions={FAULT_KINDS}
        onAdd={(k) => {
          const preset = JSON.parse(JSON.stringify(FAULT_PRESETS[k])) as Record<string, unknown>;
          if ("node" in preset) preset.node = nodeIds[nodeIds.length - 1] ?? "";
          if (k === "partition") preset.groups = nodeIds.map((n) => [n]);
          doc.append(["faults"], preset);
        }}
        render={(i, item) => <FaultEntry doc={doc} i={i} item={item} />}
      />

      <ListSection
        doc={doc}
        path={["checks"]}
        title="Checks"
        items={asList(data.checks)}
        empty="No checks: the run has no verdict."
        addLabel="Add a check"
        addOptions={availableChecks.filter((c) => !asList(data.checks).some((e) => checkParts(e).name === c))}
        onAdd={(name) => doc.append(["checks"], name === "latency" ? { latency: { p99: "500ms" } } : name)}
        render={(i, item) => {
          const { name, params } = checkParts(item);
          const keys = CHECK_PARAMS[name] ?? [];
          // Only the parameter's own node, unless the entry turns from a name into a map or back.
          const setParam = (key: string, value: unknown) => {
            const others = Object.keys(params).filter((k) => k !== key);
            if (value === undefined && others.length === 0) doc.set(["checks", i], name);
            else if (Object.keys(params).length === 0) doc.set(["checks", i], { [name]: { [key]: value } });
            else doc.set(["checks", i, name, key], value);
          };
          return (
            <div className="inline-fields">
              <code>{name}</code>
              {keys.map((k) => (
                <CheckParam key={k} doc={doc} path={["checks", i, name, k]} label={k} value={params[k]} onSet={(v) => setParam(k, v)} />
              ))}
            </div>
          );
        }}
      />
    </div>
  );
}

function nextNodeId(ids: string[], role: string): string {
  const prefix = role === "node" ? "n" : "C";
  for (let n = 1; ; n++) if (!ids.includes(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** A check's parameter: written as { name: { key: value } }, so the entry turns into a map when one is set. */
function CheckParam({ doc, path, label, value, onSet }: { doc: FormDoc; path: Path; label: string; value: unknown; onSet: (v: unknown) => void }) {
  const proxy: FormDoc = { ...doc, get: () => value, set: (_p, v) => onSet(v) };
  return <Field doc={proxy} path={path} label={label} hint="duration" />;
}

function WorkloadEntry({ doc, i, item }: { doc: FormDoc; i: number; item: unknown }) {
  const e = (item && typeof item === "object" ? item : {}) as Record<string, unknown>;
  const at = (k: string): Path => ["workload", i, k];
  if ("kind" in e) {
    return (
      <div className="inline-fields">
        <Select doc={doc} path={at("kind")} label="Kind" options={NODE_WORKLOAD_KINDS} allowNone={false} />
        <Field doc={doc} path={at("clients")} label="Clients" kind="number" />
        <Field doc={doc} path={at("rate")} label="Rate" kind="number" hint="per second" />
        <Field doc={doc} path={at("start")} label="Start" />
        <Field doc={doc} path={at("duration")} label="Duration" />
        <Field doc={doc} path={at("timeout")} label="Timeout" />
        <Field doc={doc} path={at("recovery")} label="Recovery" />
        <Select doc={doc} path={at("topology")} label="Topology" options={TOPOLOGIES} />
        <Field doc={doc} path={at("keys")} label="Keys" kind="number" />
      </div>
    );
  }
  const closed = "clients" in e;
  return (
    <div className="inline-fields">
      {closed ? (
        <>
          <Field doc={doc} path={at("clients")} label="Clients" kind={e.clients === "all" ? "scalar" : "list"} hint={'"all" or C1, C2'} />
          <Field doc={doc} path={at("target")} label="Target" kind={Array.isArray(e.target) ? "list" : "scalar"} hint="random, a node, or C2, C3" />
          <Field doc={doc} path={at("outstanding")} label="Outstanding" kind="number" />
        </>
      ) : (
        <>
          <Field doc={doc} path={at("client")} label="Client" kind="text" listId="node-ids" />
          <Field doc={doc} path={at("server")} label="Server" kind="text" listId="node-ids" />
          <Field doc={doc} path={at("count")} label="Count" kind="number" />
          <Field doc={doc} path={at("interval")} label="Interval" />
        </>
      )}
      <Select doc={doc} path={at("op")} label="Operation" options={["read", "write"]} allowNone={false} />
      <Field doc={doc} path={at("key")} label="Key" kind="text" />
      {e.op === "write" || e.value !== undefined ? <Field doc={doc} path={at("value")} label="Value" kind="text" /> : null}
      <Field doc={doc} path={at("start")} label="Start" />
    </div>
  );
}

function FaultEntry({ doc, i, item }: { doc: FormDoc; i: number; item: unknown }) {
  const f = (item && typeof item === "object" ? item : {}) as Record<string, unknown>;
  const kind = String(f.kind ?? "");
  const at = (...k: string[]): Path => ["faults", i, ...k];
  const windowed = kind !== "crash";
  const matching = kind === "drop" || kind === "delay" || kind === "duplicate";
  return (
    <div className="stack">
      <div className="inline-fields">
        <Select doc={doc} path={at("kind")} label="Kind" options={FAULT_KINDS} allowNone={false} onPick={(k) => doc.set(["faults", i], FAULT_PRESETS[k])} />
        {"node" in f || ["crash", "slow", "byzantine", "clock", "pause"].includes(kind) ? <Field doc={doc} path={at("node")} label="Node" kind="text" listId="node-ids" /> : null}
        {kind === "crash" ? (
          <>
            <Field doc={doc} path={at("at")} label="At" />
            <Field doc={doc} path={at("restart")} label="Restart after" hint="leave empty: stays down" />
          </>
        ) : null}
        {kind === "drop" ? <Field doc={doc} path={at("probability")} label="Probability" kind="number" hint="default 1" /> : null}
        {kind === "slow" ? <Field doc={doc} path={at("factor")} label="Factor" kind="number" hint=">= 1" /> : null}
        {kind === "byzantine" ? <Select doc={doc} path={at("behavior")} label="Behavior" options={BYZANTINE_BEHAVIORS} allowNone={false} /> : null}
        {kind === "clock" ? (
          <>
            <Field doc={doc} path={at("offset")} label="Offset" />
            <Field doc={doc} path={at("drift")} label="Drift" kind="number" />
          </>
        ) : null}
        {kind === "partition" ? <PartitionGroups doc={doc} path={at("groups")} /> : null}
        {kind === "random" ? (
          <>
            <Field doc={doc} path={at("every")} label="About every" hint="e.g. 1s" />
            <Field doc={doc} path={at("length", "min")} label="Shortest" />
            <Field doc={doc} path={at("length", "max")} label="Longest" />
            <Field doc={doc} path={at("quiet")} label="Quiet at the end" />
            <Field doc={doc} path={at("max")} label="At most (faults)" kind="number" />
          </>
        ) : null}
        {windowed ? (
          <>
            <Field doc={doc} path={at("from")} label="From" hint="default: start" />
            <Field doc={doc} path={at("until")} label="Until" hint="default: end" />
          </>
        ) : null}
      </div>
      {kind === "delay" ? <DistField doc={doc} path={at("by")} label="Delay by" /> : null}
      {matching ? (
        <fieldset className="form-group">
          <legend>Which messages (match)</legend>
          <div className="inline-fields">
            <Field doc={doc} path={at("match", "from")} label="From" kind="text" listId="node-ids" />
            <Field doc={doc} path={at("match", "to")} label="To" kind="text" listId="node-ids" />
            <Field doc={doc} path={at("match", "type")} label="Type" kind="text" hint="request, response, …" />
            <Field doc={doc} path={at("match", "nth")} label="Only the n-th" kind="number" />
          </div>
        </fieldset>
      ) : null}
    </div>
  );
}

/** Partition groups as text: "C1, C2 / C3" is [[C1, C2], [C3]]. */
function PartitionGroups({ doc, path }: { doc: FormDoc; path: Path }) {
  const groups = doc.get(path);
  const text = Array.isArray(groups) ? groups.map((g) => (Array.isArray(g) ? g.join(", ") : String(g))).join(" / ") : "";
  const proxy: FormDoc = {
    ...doc,
    get: () => text,
    set: (_p, v) => {
      const raw = typeof v === "string" ? v : "";
      doc.set(path, raw.trim() === "" ? undefined : raw.split("/").map((g) => g.split(",").map((s) => s.trim()).filter((s) => s !== "")));
    },
  };
  return <Field doc={proxy} path={path} label="Groups" kind="text" hint="C1, C2 / C3" wide />;
}
