// The grading tests as the instructor writes them (a YAML list), and where a problem sits in that
// text: YAML errors at their line, and the API's field paths ("tests.1.requirements.check") placed
// at the line of that field, so the editor can underline them. Pure: runs in the browser.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { ScenarioProblemView } from "@/server/scenarios/validate";

export interface ParsedTests {
  tests: unknown[] | null;
  problems: ScenarioProblemView[];
}

/** Reads the tests' YAML: the list, or its problems at their lines. */
export function parseTestsDocument(text: string): ParsedTests {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length) {
    return {
      tests: null,
      problems: doc.errors.slice(0, 5).map((e) => {
        const at = lines.linePos(e.pos[0]);
        return { path: "tests", message: `the YAML cannot be read: ${e.message.split("\n")[0]}`, line: at.line, column: at.col };
      }),
    };
  }
  const value = doc.toJS() as unknown;
  if (!Array.isArray(value)) return { tests: null, problems: [{ path: "tests", message: "write a list of tests (each starting with “- name: …”)", line: 1 }] };
  return { tests: value, problems: [] };
}

/**
 * Places the API's problems with the tests ("tests.1.scenario: faults[0].node: … (line 7)") in the
 * text: at the deepest field of the path that exists, and for a problem inside a test's scenario
 * with its own line, at that line of the scenario's block.
 */
export function placeTestsProblems(text: string, problems: { path: string; message: string }[]): ScenarioProblemView[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  return problems.map((p) => {
    const parts = p.path.split(".").slice(1).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    let node: Node | null = doc.contents as Node | null;
    let found: Node | null = node;
    for (const key of parts) {
      if (!node) break;
      const next: unknown = isSeq(node) || isMap(node) ? node.get(key as never, true) : undefined;
      if (!next || typeof next !== "object") break;
      node = next as Node;
      found = node;
    }
    const offset = found?.range?.[0] ?? 0;
    let { line, col } = lines.linePos(offset);
    // A block scalar (scenario: |) starts its text on the next line; the scenario's own line counts from there.
    const inner = /\(line (\d+)\)\s*$/.exec(p.message);
    if (inner && found && isScalar(found) && typeof found.value === "string" && parts.at(-1) === "scenario") {
      line = line + Number(inner[1]);
      col = 1;
    }
    return { path: p.path, message: p.message, line, column: col };
  });
}
