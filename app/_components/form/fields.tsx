"use client";
// The form editor's fields. Each edits one path of the scenario document and writes to it as
// the user types (so the format's problems show under the field at once); while a field has the
// focus it keeps what the user typed, and it follows the document again when they leave it.
import { useEffect, useRef, useState, type ReactNode } from "react";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import type { ScenarioProblemView } from "@/server/scenarios/validate";

export type Path = (string | number)[];

/** What a section of the form may do to the document. */
export interface FormDoc {
  get(path: Path): unknown;
  /** Sets a field; undefined (or "") removes it. */
  set(path: Path, value: unknown): void;
  append(path: Path, value: unknown): void;
  removeAt(path: Path, index: number): void;
  /** Problems at the path and below it; `exact`: at the path only. */
  errorsAt(path: Path, exact?: boolean): ScenarioProblemView[];
  readOnly: boolean;
  nodeIds: string[];
}

export function pathText(path: Path): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

export function fieldId(path: Path): string {
  return `f-${pathText(path)}`;
}

/** One line of YAML flow style for a value: { kind: crash, node: C2 }. */
export function flowText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "object") return String(value);
  return stringifyYaml(value, { collectionStyle: "flow", lineWidth: 0 }).trim().replace(/\s*\n\s*/g, " ");
}

/**
 * How typed text becomes a value: `text` stays text; `number` is a number when it reads as one
 * (else the text, so the format says what is wrong); `scalar` reads YAML (10 → 10, 10ms → "10ms");
 * `list` is comma-separated text; `flow` is any YAML.
 */
export type FieldKind = "text" | "number" | "scalar" | "list" | "flow";

export function valueOf(kind: FieldKind, raw: string): unknown {
  const t = raw.trim();
  if (t === "") return undefined;
  switch (kind) {
    case "text":
      return raw;
    case "number":
      return Number.isFinite(Number(t)) ? Number(t) : t;
    case "list":
      return t.split(",").map((s) => s.trim()).filter((s) => s !== "");
    case "scalar":
    case "flow":
      try {
        return parseYaml(t) as unknown;
      } catch {
        return t;
      }
  }
}

export function textOf(kind: FieldKind, value: unknown): string {
  if (kind === "list" && Array.isArray(value)) return value.map(String).join(", ");
  return flowText(value);
}

function Errors({ doc, path, exact }: { doc: FormDoc; path: Path; exact?: boolean }) {
  const errs = doc.errorsAt(path, exact);
  if (errs.length === 0) return null;
  return (
    <div className="error" id={`${fieldId(path)}-error`} role="alert">
      {errs.map((e, i) => (
        <div key={i}>
          {e.path}: {e.message}
        </div>
      ))}
    </div>
  );
}

export function Field({ doc, path, label, kind = "scalar", hint, placeholder, listId, wide }: { doc: FormDoc; path: Path; label: string; kind?: FieldKind; hint?: string; placeholder?: string; listId?: string; wide?: boolean }) {
  const id = fieldId(path);
  const external = textOf(kind, doc.get(path));
  const [draft, setDraft] = useState(external);
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) setDraft(external);
  }, [external]);
  const invalid = doc.errorsAt(path).length > 0;
  return (
    <div className={`field${wide ? " wide" : ""}`}>
      <label htmlFor={id}>
        {label} {hint ? <span className="hint">{hint}</span> : null}
      </label>
      <input
        id={id}
        type="text"
        inputMode={kind === "number" ? "decimal" : undefined}
        value={draft}
        placeholder={placeholder}
        readOnly={doc.readOnly}
        list={listId}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={invalid ? `${id}-error` : undefined}
        onFocus={() => (focused.current = true)}
        onBlur={() => {
          focused.current = false;
          setDraft(external);
        }}
        onChange={(e) => {
          setDraft(e.target.value);
          doc.set(path, valueOf(kind, e.target.value));
        }}
      />
      <Errors doc={doc} path={path} />
    </div>
  );
}

export function TextArea({ doc, path, label }: { doc: FormDoc; path: Path; label: string }) {
  const id = fieldId(path);
  const external = typeof doc.get(path) === "string" ? (doc.get(path) as string) : flowText(doc.get(path));
  const [draft, setDraft] = useState(external);
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) setDraft(external);
  }, [external]);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        value={draft}
        rows={3}
        readOnly={doc.readOnly}
        style={{ minHeight: "4rem", fontFamily: "var(--sans)" }}
        onFocus={() => (focused.current = true)}
        onBlur={() => {
          focused.current = false;
          setDraft(external);
        }}
        onChange={(e) => {
          setDraft(e.target.value);
          doc.set(path, e.target.value === "" ? undefined : e.target.value);
        }}
      />
      <Errors doc={doc} path={path} />
    </div>
  );
}

export function Select({ doc, path, label, options, allowNone = true, onPick }: { doc: FormDoc; path: Path; label: string; options: readonly string[]; allowNone?: boolean; onPick?: (v: string) => void }) {
  const id = fieldId(path);
  const value = doc.get(path);
  const current = value === undefined || value === null ? "" : String(value);
  const known = options.includes(current) || current === "";
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={current}
        disabled={doc.readOnly}
        aria-invalid={doc.errorsAt(path).length > 0 ? true : undefined}
        onChange={(e) => (onPick ? onPick(e.target.value) : doc.set(path, e.target.value === "" ? undefined : e.target.value))}
      >
        {allowNone ? <option value="">(default)</option> : null}
        {!known ? <option value={current}>{current}</option> : null}
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
      <Errors doc={doc} path={path} />
    </div>
  );
}

export function Check({ doc, path, label }: { doc: FormDoc; path: Path; label: string }) {
  const id = fieldId(path);
  return (
    <div className="field">
      <label htmlFor={id} style={{ fontWeight: 400 }}>
        <input type="checkbox" id={id} checked={doc.get(path) === true} disabled={doc.readOnly} onChange={(e) => doc.set(path, e.target.checked ? true : undefined)} /> {label}
      </label>
      <Errors doc={doc} path={path} />
    </div>
  );
}

const DISTS = ["fixed", "uniform", "exponential", "normal", "lognormal"] as const;
const DIST_PRESETS: Record<string, unknown> = {
  fixed: "10ms",
  uniform: { dist: "uniform", min: "1ms", max: "10ms" },
  exponential: { dist: "exponential", mean: "10ms" },
  normal: { dist: "normal", mean: "10ms", sd: "2ms" },
  lognormal: { dist: "lognormal", median: "10ms", sigma: 0.5 },
};
const DIST_FIELDS: Record<string, string[]> = { constant: ["value"], uniform: ["min", "max"], exponential: ["mean"], normal: ["mean", "sd"], lognormal: ["median", "sigma"] };

/** A distribution (latency, processing, delay): a fixed duration, or a dist with its parameters. */
export function DistField({ doc, path, label, hint }: { doc: FormDoc; path: Path; label: string; hint?: string }) {
  const value = doc.get(path);
  const dist = value && typeof value === "object" && !Array.isArray(value) ? String((value as { dist?: unknown }).dist ?? "") : value === undefined ? "" : "fixed";
  const id = `${fieldId(path)}-dist`;
  return (
    <fieldset className="form-group">
      <legend>{label}</legend>
      <div className="inline-fields">
        <div className="field">
          <label htmlFor={id}>Shape</label>
          <select id={id} value={dist === "constant" ? "constant" : dist} disabled={doc.readOnly} onChange={(e) => doc.set(path, e.target.value === "" ? undefined : DIST_PRESETS[e.target.value])}>
            <option value="">(default)</option>
            {DISTS.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
            {dist === "constant" ? <option value="constant">constant</option> : null}
          </select>
        </div>
        {dist === "fixed" ? <Field doc={doc} path={path} label="Duration" hint={hint} /> : null}
        {(DIST_FIELDS[dist] ?? []).map((f) => (
          <Field key={f} doc={doc} path={[...path, f]} label={f} kind={f === "sigma" ? "number" : "scalar"} />
        ))}
      </div>
      {dist !== "fixed" ? <Errors doc={doc} path={path} exact /> : null}
    </fieldset>
  );
}

/** A list of entries with a heading per entry and Remove buttons. */
export function ListSection({ doc, path, title, items, render, addLabel, addOptions, onAdd, empty }: {
  doc: FormDoc;
  path: Path;
  title: string;
  items: unknown[];
  render: (index: number, item: unknown) => ReactNode;
  addLabel: string;
  addOptions: readonly string[];
  onAdd: (choice: string) => void;
  empty?: string;
}) {
  const addId = `add-${pathText(path)}`;
  return (
    <section className="form-list" aria-label={title}>
      <h3>{title}</h3>
      {items.length === 0 && empty ? <p className="muted small">{empty}</p> : null}
      {items.map((item, i) => (
        <div className="form-item" key={i} data-testid={`form-${pathText([...path, i])}`}>
          <div className="row">
            <strong className="small">{title.replace(/s$/, "")} {i + 1}</strong>
            <span className="spacer" />
            {!doc.readOnly ? (
              <button type="button" className="small danger" onClick={() => doc.removeAt(path, i)} aria-label={`Remove ${title.replace(/s$/, "").toLowerCase()} ${i + 1}`}>
                Remove
              </button>
            ) : null}
          </div>
          {render(i, item)}
          <Errors doc={doc} path={[...path, i]} exact />
        </div>
      ))}
      <Errors doc={doc} path={path} exact />
      {!doc.readOnly ? (
        <div className="row">
          <label htmlFor={addId} style={{ margin: 0 }}>
            {addLabel}
          </label>
          <select
            id={addId}
            value=""
            style={{ width: "auto", maxWidth: "100%" }}
            onChange={(e) => {
              if (e.target.value) onAdd(e.target.value);
            }}
          >
            <option value="">choose…</option>
            {addOptions.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </section>
  );
}
