"use client";
// The text editor for scenario documents: CodeMirror with YAML highlighting, and the
// format's problems (from the same parser the API uses) underlined at their field and
// listed below, as you type. Clicking a listed problem moves the cursor to it.
import { useEffect, useRef } from "react";
import { EditorView, basicSetup } from "codemirror";
import { EditorState, Compartment } from "@codemirror/state";
import { yaml } from "@codemirror/lang-yaml";
import { javascript } from "@codemirror/lang-javascript";
import { setDiagnostics, lintGutter, type Diagnostic } from "@codemirror/lint";
import type { ScenarioProblemView } from "@/server/scenarios/validate";
import { themedHighlighting } from "./editor/highlight";

export interface ScenarioEditorProps {
  value: string;
  onChange: (value: string) => void;
  problems: ScenarioProblemView[];
  readOnly?: boolean;
  /** Changes when the caller wants to move the cursor to a problem. */
  focus?: { line?: number; column?: number; nonce: number } | null;
  label?: string;
  /** The text's language: a scenario document (default) or a program file. */
  language?: "yaml" | "javascript" | "typescript";
  testId?: string;
}

export function problemRange(doc: EditorState["doc"], p: ScenarioProblemView): { from: number; to: number } {
  if (!p.line) return { from: 0, to: Math.min(doc.length, doc.line(1).to) };
  const line = doc.line(Math.min(Math.max(1, p.line), doc.lines));
  const from = Math.min(line.to, line.from + Math.max(0, (p.column ?? 1) - 1));
  let to = line.to;
  if (p.endLine && p.endLine >= 1 && p.endLine <= doc.lines) {
    const end = doc.line(p.endLine);
    to = Math.min(end.to, end.from + Math.max(0, (p.endColumn ?? 1) - 1));
  }
  return { from, to: Math.max(to, Math.min(from + 1, line.to)) };
}

export function ScenarioEditor({ value, onChange, problems, readOnly = false, focus, label = "Scenario (YAML or JSON)", language = "yaml", testId = "scenario-editor" }: ScenarioEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  const readOnlyCompartment = useRef(new Compartment());
  onChangeRef.current = onChange;

  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          themedHighlighting,
          language === "yaml" ? yaml() : javascript({ typescript: language === "typescript" }),
          lintGutter(),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ "aria-label": label, "data-testid": testId }),
          readOnlyCompartment.current.of([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChangeRef.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
    // The editor is created once; later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Outside changes (the form, a template) replace the text; typing does not loop back.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: readOnlyCompartment.current.reconfigure([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]) });
  }, [readOnly]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const diagnostics: Diagnostic[] = problems.map((p) => {
      const { from, to } = problemRange(v.state.doc, p);
      return { from, to, severity: "error", message: p.path ? `${p.path}: ${p.message}` : p.message };
    });
    v.dispatch(setDiagnostics(v.state, diagnostics));
  }, [problems, value]);

  useEffect(() => {
    const v = view.current;
    if (!v || !focus) return;
    const { from } = problemRange(v.state.doc, { path: "", message: "", line: focus.line, column: focus.column });
    v.dispatch({ selection: { anchor: from }, scrollIntoView: true });
    v.focus();
  }, [focus]);

  return <div className="editor" ref={host} />;
}

export function ProblemList({ problems, onSelect }: { problems: ScenarioProblemView[]; onSelect?: (p: ScenarioProblemView) => void }) {
  if (problems.length === 0) return null;
  return (
    <ul className="problems" aria-label="Problems" data-testid="problems">
      {problems.map((p, i) => (
        <li key={i} onClick={() => onSelect?.(p)}>
          {p.path ? <code>{p.path}</code> : null}
          {p.path ? ": " : ""}
          {p.message}
          {p.line ? <span className="muted"> (line {p.line}{p.column ? `, column ${p.column}` : ""})</span> : null}
        </li>
      ))}
    </ul>
  );
}
