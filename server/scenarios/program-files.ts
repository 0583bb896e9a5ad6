// Editing a program scenario's files inside its YAML document: each file is a block of text under
// protocol.files, changed without touching the rest of the document (comments and all). Also the
// rewrite of a built-in protocol scenario into a program of its own ("Make this my program").

import { isMap, parseDocument, Scalar, YAMLMap, type Document } from "yaml";
import { parseScenarioText } from "@/server/sim";
import { programOf } from "@/server/sim/protocols/fork";
import type { BuiltinProtocol } from "@/server/sim/scenario/types";

export interface ProgramFilesView {
  main: string;
  /** File names in document order, with their text. */
  files: [string, string][];
}

/** A custom protocol's main and files as written in the document, or null for any other document. */
export function programFilesOf(source: string): ProgramFilesView | null {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) return null;
  const protocol = doc.get("protocol");
  if (!isMap(protocol) || protocol.get("kind") !== "custom") return null;
  const files = protocol.get("files");
  const list: [string, string][] = [];
  if (isMap(files)) for (const item of files.items) list.push([String((item.key as Scalar).value ?? item.key), String((item.value as Scalar | null)?.value ?? "")]);
  return { main: String(protocol.get("main") ?? ""), files: list };
}

function blockText(doc: Document, text: string): Scalar {
  const node = doc.createNode(text) as Scalar;
  node.type = Scalar.BLOCK_LITERAL;
  return node;
}

function edit(source: string, mutate: (doc: Document) => void): string {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) return source;
  mutate(doc);
  return doc.toString({ lineWidth: 0 });
}

/** The document with file `name` set to `text` (added when new). */
export function setProgramFile(source: string, name: string, text: string): string {
  return edit(source, (doc) => doc.setIn(["protocol", "files", name], blockText(doc, text)));
}

export function deleteProgramFile(source: string, name: string): string {
  return edit(source, (doc) => doc.deleteIn(["protocol", "files", name]));
}

/**
 * A built-in protocol scenario as a program of the protocol's own files (and config.js with its
 * parameters); null when the document is not a valid built-in protocol scenario.
 */
export function forkIntoProgram(source: string): string | null {
  const parsed = parseScenarioText(source);
  if (!parsed.ok || parsed.scenario.protocol.kind === "request-response" || parsed.scenario.protocol.kind === "custom") return null;
  const program = programOf(parsed.scenario.protocol as BuiltinProtocol);
  return edit(source, (doc) => {
    const files = new YAMLMap<string, Scalar>();
    for (const [name, text] of Object.entries(program.files)) files.set(name, blockText(doc, text));
    const protocol = new YAMLMap<string, unknown>();
    protocol.set("kind", "custom");
    protocol.set("main", program.main);
    protocol.set("files", files);
    protocol.commentBefore = ` Forked from the built-in ${parsed.scenario.protocol.kind} protocol: its files are yours to edit.`;
    doc.set("protocol", protocol);
  });
}
