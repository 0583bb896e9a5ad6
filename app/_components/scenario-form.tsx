"use client";
// The form editor over the same document as the text editor: the common fields, the
// faults and the checks. Each change rewrites only that field of the YAML (comments and
// the rest of the text stay as they were), and problems are shown under their field.
import { parseDocument, parse as parseYaml, stringify as stringifyYaml, isMap, isSeq, YAMLSeq, type Document } from "yaml";
import type { ScenarioProblemView } from "@/server/scenarios/validate";
import { FAULT_KINDS } from "./fault-kinds";

type Path = (string | number)[];

const FAULT_PRESETS: Record<string, Record<string, unknown>> = {
  drop: { kind: "drop", match: { from: "C1", to: "C2", type: "request", nth: 1 } },
  delay: { kind: "delay", match: { type: "response" }, by: "200ms" },
  duplicate: { kind: "duplicate", match: { type: "request", nth: 1 } },
  crash: { kind: "crash", node: "C2", at: "50ms", restart: "500ms" },
  slow: { kind: "slow", node: "C2", factor: 10, from: "0ms", until: "1s" },
  partition: { kind: "partition", groups: [["C1"], ["C2"]], from: "100ms", until: "1s" },
  byzantine: { kind: "byzantine", node: "C2", behavior: "lie" },
  clock: { kind: "clock", node: "C1", offset: "0ms", drift: 0.5 },
  pause: { kind: "pause", node: "C2", from: "100ms", until: "600ms" },
  random: { kind: "random", every: "1s", length: { min: "100ms", max: "1s" } },
};

const NAMED_CHECKS = ["all-complete", "at-most-once", "exactly-once", "correct-responses"] as const;

function pathText(path: Path): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

function toFlowText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "object") return String(value);
  // One line of YAML flow style: { kind: crash, node: C2, at: 50ms }
  return stringifyYaml(value, { collectionStyle: "flow", lineWidth: 0 }).trim().replace(/\s*\n\s*/g, " ");
}

function edit(source: string, mutate: (doc: Document) => void): string | null {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) return null;
  mutate(doc);
  return doc.toString();
}

function flowNode(doc: Document, value: unknown) {
  const node = doc.createNode(value);
  if (isMap(node) || isSeq(node)) node.flow = true;
  return node;
}

export function ScenarioForm({ source, onChange, problems, readOnly }: { source: string; onChange: (s: string) => void; problems: ScenarioProblemView[]; readOnly?: boolean }) {
  const doc = parseDocument(source);
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    return <div className="alert warn">The text is not valid YAML yet, so the form cannot show it. Fix it in the text editor: {doc.errors[0]?.message.split("\n")[0]}</div>;
  }
  const data = (doc.toJS() ?? {}) as Record<string, unknown>;
  const get = (path: Path): unknown => path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined), data);
  const errorsAt = (path: Path) => {
    const p = pathText(path);
    return problems.filter((x) => x.path === p || x.path.startsWith(p + ".") || x.path.startsWith(p + "["));
  };
  /** Appends to a list field, keeping the list's style and comments (a new list is block style). */
  const append = (path: Path, value: unknown) => {
    const next = edit(source, (d) => {
      const list = d.getIn(path, true);
      if (isSeq(list)) list.items.push(flowNode(d, value));
      else {
        const seq = new YAMLSeq();
        seq.items.push(flowNode(d, value));
        d.setIn(path, seq);
      }
    });
    if (next !== null && next !== source) onChange(next);
  };
  /** Removes one item of a list field; an emptied list is removed. */
  const removeAt = (path: Path, index: number) => {
    const next = edit(source, (d) => {
      d.deleteIn([...path, index]);
      const list = d.getIn(path, true);
      if (isSeq(list) && list.items.length === 0) d.deleteIn(path);
    });
    if (next !== null && next !== source) onChange(next);
  };
  const set = (path: Path, value: unknown) => {
    const next = edit(source, (d) => {
      if (value === undefined || value === "") d.deleteIn(path);
      else d.setIn(path, flowNode(d, value));
    });
    if (next !== null && next !== source) onChange(next);
  };

  const field = (path: Path, label: string, opts: { kind?: "text" | "number" | "flow" | "bool" | "textarea"; hint?: string } = {}) => {
    const kind = opts.kind ?? "text";
    const id = `f-${pathText(path)}`;
    const value = get(path);
    const errs = errorsAt(path);
    const commit = (raw: string) => {
      if (kind === "number") set(path, raw.trim() === "" ? undefined : Number(raw));
      else if (kind === "flow") {
        try {
          set(path, raw.trim() === "" ? undefined : parseYaml(raw));
        } catch {
          /* not YAML yet: leave the document as it is */
        }
      } else set(path, raw === "" ? undefined : raw);
    };
    return (
      <div className="field" key={id}>
        {kind === "bool" ? (
          <label>
            <input type="checkbox" id={id} checked={value === true} disabled={readOnly} onChange={(e) => set(path, e.target.checked)} /> {label}
          </label>
        ) : (
          <>
            <label htmlFor={id}>
              {label} {opts.hint ? <span className="hint">{opts.hint}</span> : null}
            </label>
            {kind === "textarea" ? (
              <textarea id={id} key={String(value ?? "")} defaultValue={String(value ?? "")} rows={3} readOnly={readOnly} style={{ minHeight: "4rem", fontFamily: "var(--sans)" }} onBlur={(e) => commit(e.target.value)} />
            ) : (
              <input
                id={id}
                type={kind === "number" ? "number" : "text"}
                step="any"
                key={toFlowText(value)}
                defaultValue={toFlowText(value)}
                readOnly={readOnly}
                aria-invalid={errs.length > 0 ? true : undefined}
                onBlur={(e) => commit(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === "Enter") {
                    e.preventDefault();
                    commit((e.target as HTMLInputElement).value);
                  }
                }}
              />
            )}
          </>
        )}
        {errs.map((e, i) => (
          <div className="error" key={i}>{e.path}: {e.message}</div>
        ))}
      </div>
    );
  };

  const faults = Array.isArray(data.faults) ? (data.faults as unknown[]) : [];
  const checks = Array.isArray(data.checks) ? (data.checks as unknown[]) : [];
  const hasCheck = (name: string) => checks.some((c) => c === name || (c && typeof c === "object" && name in (c as object)));
  const toggleCheck = (name: string, on: boolean) => {
    if (on) return append(["checks"], name);
    const index = checks.findIndex((c) => c === name || (c && typeof c === "object" && name in (c as object)));
    if (index >= 0) removeAt(["checks"], index);
  };
  const latencyCheck = checks.find((c) => c && typeof c === "object" && "latency" in (c as object)) as { latency?: unknown } | undefined;

  return (
    <div className="stack" data-testid="scenario-form">
      <div className="grid cols-2">
        {field(["name"], "Name")}
        <div className="inline-fields">
          {field(["seed"], "Default seed", { kind: "number" })}
          {field(["until"], "Stop at", { hint: "virtual time, e.g. 10s" })}
        </div>
      </div>
      {field(["description"], "Description", { kind: "textarea" })}
      <h3>Network</h3>
      <div className="grid cols-3">
        {field(["network", "latency"], "Latency", { kind: "flow", hint: "10ms or { dist: uniform, min: 1ms, max: 10ms }" })}
        {field(["network", "loss"], "Loss probability", { kind: "number" })}
        {field(["network", "duplicate"], "Duplicate probability", { kind: "number" })}
      </div>
      <h3>Client</h3>
      <div className="grid cols-3">
        {field(["protocol", "client", "timeout"], "Timeout")}
        {field(["protocol", "client", "retries"], "Retries", { kind: "number" })}
        {field(["protocol", "client", "backoff"], "Backoff", { kind: "flow", hint: "{ kind: exponential, base: 50ms, max: 1s }" })}
      </div>
      <h3>Server</h3>
      <div className="grid cols-3">
        {field(["protocol", "server", "processing"], "Processing time", { kind: "flow" })}
        {field(["protocol", "server", "concurrency"], "Concurrency", { kind: "flow", hint: "a number or unlimited" })}
        <div>
          {field(["protocol", "server", "dedupe"], "Deduplicate repeats (at-most-once)", { kind: "bool" })}
          {field(["protocol", "server", "durable"], "Dedupe table survives crashes", { kind: "bool" })}
        </div>
      </div>
      <h3>Faults</h3>
      {faults.length === 0 ? <p className="muted small">No faults: everything works. Add one below.</p> : null}
      {faults.map((_, i) => (
        <div className="row" key={i} style={{ alignItems: "flex-start" }}>
          <div style={{ flex: 1 }}>{field(["faults", i], `Fault ${i + 1}`, { kind: "flow" })}</div>
          {!readOnly ? (
            <button type="button" className="small danger" style={{ marginTop: "1.6rem" }} onClick={() => removeAt(["faults"], i)}>
              Remove
            </button>
          ) : null}
        </div>
      ))}
      {!readOnly ? (
        <div className="row">
          <label htmlFor="add-fault" style={{ margin: 0 }}>Add a fault</label>
          <select
            id="add-fault"
            value=""
            onChange={(e) => {
              const preset = FAULT_PRESETS[e.target.value];
              if (preset) append(["faults"], preset);
            }}
            style={{ width: "auto" }}
          >
            <option value="">choose a kind…</option>
            {FAULT_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
        </div>
      ) : null}
      <h3>Checks</h3>
      <div className="row">
        {NAMED_CHECKS.map((name) => (
          <label key={name} style={{ fontWeight: 400, marginRight: "1rem" }}>
            <input type="checkbox" checked={hasCheck(name)} disabled={readOnly} onChange={(e) => toggleCheck(name, e.target.checked)} /> <code>{name}</code>
          </label>
        ))}
      </div>
      {latencyCheck ? <p className="small muted">Latency bounds: <code>{toFlowText(latencyCheck.latency)}</code> (edit in the text)</p> : null}
      {errorsAt(["checks"]).map((e, i) => <div className="error small" key={i}>{e.path}: {e.message}</div>)}
    </div>
  );
}
