// Parameter curves' specs and paths, pure and light (no scenario parser, so pages may import it): read a
// vary spec (`network.loss=0:0.5:0.05`, `protocol.client.retries=0..5`, `protocol.server.dedupe=true,false`)
// and set one value at a path of the scenario document or its text, with errors that name the path.

import { parseDocument } from "yaml";
import { LIMITS } from "../limits";

/** At most this many values along one vary spec. */
export const CURVE_MAX_POINTS = 101;
/** At most this many series (combinations of the second and later vary specs). */
export const CURVE_MAX_SERIES = 16;
/** "faults[2].match.from", as the format's problems write paths (scenario/parse.ts formatPath). */
export function formatPath(path: readonly PathSegment[]): string {
  let s = "";
  for (const seg of path) {
    if (typeof seg === "number") s += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) s += s === "" ? seg : `.${seg}`;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s;
}

/** Path segments at most (deeper paths are not part of any scenario). */
const PATH_MAX_SEGMENTS = 8;

export type VaryValue = number | string | boolean;
export type PathSegment = string | number;

export interface VarySpec {
  /** The path as written, normalized (`faults[0].probability`). */
  path: string;
  segments: PathSegment[];
  values: VaryValue[];
}

export type VaryResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** Reads `PATH=FROM:TO:STEP`, `PATH=A..B` (whole numbers) or `PATH=V1,V2,...`. */
export function parseVarySpec(text: string): VaryResult<VarySpec> {
  const eq = text.indexOf("=");
  if (eq <= 0) return { ok: false, message: `"${text}": write PATH=FROM:TO:STEP, PATH=A..B or PATH=V1,V2 (e.g. network.loss=0:0.5:0.1)` };
  const segments = parsePath(text.slice(0, eq).trim());
  if (!segments.ok) return segments;
  const path = formatPath(segments.value);
  const range = text.slice(eq + 1).trim();
  const values = parseValues(range);
  if (!values.ok) return { ok: false, message: `${path}: ${values.message}` };
  return { ok: true, value: { path, segments: segments.value, values: values.value } };
}

/** `protocol.client.retries`, `faults[0].probability`, `faults.0.probability`. */
export function parsePath(text: string): VaryResult<PathSegment[]> {
  if (text === "") return { ok: false, message: "the path is empty: name a field, like network.loss" };
  const segments: PathSegment[] = [];
  const re = /([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\.(\d+)(?=\.|\[|$)|(\.)/gy;
  let pos = 0;
  let expectName = true;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return { ok: false, message: `"${text}" is not a path: unexpected "${text.slice(pos, pos + 10)}" (write fields with dots and list positions in brackets, like faults[0].probability)` };
    if (m[1] !== undefined) {
      if (!expectName) return { ok: false, message: `"${text}" is not a path: put a dot before "${m[1]}"` };
      segments.push(m[1]);
      expectName = false;
    } else if (m[2] !== undefined || m[3] !== undefined) {
      segments.push(Number(m[2] ?? m[3]));
      expectName = false;
    } else {
      if (expectName) return { ok: false, message: `"${text}" is not a path: a field name is missing before a dot` };
      expectName = true;
    }
    pos = re.lastIndex;
  }
  if (expectName) return { ok: false, message: `"${text}" is not a path: it ends with a dot` };
  if (typeof segments[0] === "number") return { ok: false, message: `"${text}" is not a path: start with a field of the scenario, like network or protocol` };
  if (segments.length > PATH_MAX_SEGMENTS) return { ok: false, message: `"${text}" is deeper than any field of a scenario` };
  return { ok: true, value: segments };
}

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function decimals(s: string): number {
  const m = /\.(\d+)/.exec(s);
  return m ? m[1]!.length : 0;
}

function parseValues(range: string): VaryResult<VaryValue[]> {
  const dots = /^([+-]?\d+)\.\.([+-]?\d+)$/.exec(range);
  if (dots) {
    const a = Number(dots[1]);
    const b = Number(dots[2]);
    if (b < a) return { ok: false, message: `${range}: the range goes down (write the smaller number first)` };
    if (b - a + 1 > CURVE_MAX_POINTS) return { ok: false, message: `${range} has ${b - a + 1} values; at most ${CURVE_MAX_POINTS}` };
    return { ok: true, value: Array.from({ length: b - a + 1 }, (_, i) => a + i) };
  }
  const parts = range.split(":");
  if (parts.length === 3) {
    if (!parts.every((p) => NUMBER_RE.test(p.trim()))) return { ok: false, message: `${range}: FROM:TO:STEP takes three numbers` };
    const [from, to, step] = parts.map((p) => Number(p.trim())) as [number, number, number];
    if (!(step > 0)) return { ok: false, message: `${range}: STEP must be above 0` };
    if (to < from) return { ok: false, message: `${range}: TO must be at least FROM` };
    const count = Math.floor((to - from) / step + 1e-9) + 1;
    if (count > CURVE_MAX_POINTS) return { ok: false, message: `${range} has ${count} values; at most ${CURVE_MAX_POINTS} (take a larger step)` };
    // Values are FROM + k * STEP rounded to the decimals written, so 0.1 steps give 0.3, not 0.30000000000000004.
    const places = Math.max(...parts.map((p) => decimals(p.trim())));
    return { ok: true, value: Array.from({ length: count }, (_, k) => Number((from + k * step).toFixed(places))) };
  }
  const items = range.split(",").map((p) => p.trim());
  if (items.some((p) => p === "")) return { ok: false, message: `"${range}": give values, like 0:0.5:0.1, 0..5 or true,false` };
  if (items.length > CURVE_MAX_POINTS) return { ok: false, message: `${items.length} values; at most ${CURVE_MAX_POINTS}` };
  return { ok: true, value: items.map((p) => (NUMBER_RE.test(p) ? Number(p) : p === "true" ? true : p === "false" ? false : p)) };
}

/** A copy of `doc` with `value` at `segments`; missing maps on the way are created, lists are not grown. */
export function setAtPath(doc: unknown, segments: readonly PathSegment[], value: VaryValue): { ok: true; value: unknown } | { ok: false; path: string; message: string } {
  const root = structuredClone(doc);
  let cur: unknown = root;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    const here = formatPath(segments.slice(0, i + 1));
    const parent = formatPath(segments.slice(0, i)) || "the scenario";
    if (Array.isArray(cur)) {
      if (typeof seg !== "number") return { ok: false, path: here, message: `${parent} is a list; pick an entry by position, like ${parent}[0]` };
      if (seg >= cur.length) return { ok: false, path: here, message: `${parent} has ${cur.length} entr${cur.length === 1 ? "y" : "ies"}` };
      if (last) cur[seg] = value;
      else cur = cur[seg];
      continue;
    }
    if (cur === null || typeof cur !== "object") return { ok: false, path: here, message: `${parent} is ${JSON.stringify(cur)}, not a map of fields` };
    const map = cur as Record<string, unknown>;
    if (typeof seg === "number") return { ok: false, path: here, message: `${parent} is a map, not a list` };
    if (last) {
      map[seg] = value;
    } else {
      if (map[seg] === undefined || map[seg] === null) {
        // A missing map is created (network.loss in a scenario that gives no network); a missing list has no entries to set.
        if (typeof segments[i + 1] === "number") return { ok: false, path: here, message: `the scenario gives no ${here}, so it has no entry [${segments[i + 1]}]` };
        map[seg] = {};
      }
      cur = map[seg];
    }
  }
  return { ok: true, value: root };
}

/**
 * The same in the document's text: comments, order and style are kept, so a varied scenario can be
 * saved as a version a person can still read. The path is checked as setAtPath checks it.
 */
export function setAtPathInText(text: string, segments: readonly PathSegment[], value: VaryValue): { ok: true; text: string } | { ok: false; path: string; message: string } {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return { ok: false, path: "", message: `the document does not parse: ${doc.errors[0]!.message.split("\n")[0]}` };
  const checked = setAtPath(doc.toJS({ maxAliasCount: LIMITS.MAX_YAML_ALIASES }), segments, value);
  if (!checked.ok) return checked;
  doc.setIn([...segments], value);
  return { ok: true, text: doc.toString({ lineWidth: 0 }) };
}

/** One assignment of a vary spec: its path and the value it takes. */
export interface VaryAssignment {
  path: string;
  segments: readonly PathSegment[];
  value: VaryValue;
}

/** The series of a curve: every combination of the values of the second and later specs, first spec varying last. */
export function seriesOf(specs: readonly VarySpec[]): VaryResult<VaryAssignment[][]> {
  let combos: VaryAssignment[][] = [[]];
  for (const s of specs.slice(1)) {
    combos = combos.flatMap((c) => s.values.map((value) => [...c, { path: s.path, segments: s.segments, value }]));
    if (combos.length > CURVE_MAX_SERIES) return { ok: false, message: `the second and later --vary give more than ${CURVE_MAX_SERIES} series` };
  }
  return { ok: true, value: combos };
}
