// A program's files as the interpreter runs them: each file wrapped as a CommonJS function,
// TypeScript stripped by sucrase, and stack locations mapped back to the user's file, line, column.

import { transform } from "sucrase";
import type { NodeError } from "../nodes/api";
import { PROGRAM_LIMITS } from "./limits";

/** What every file is a function of; the same list natively (see generated/builtins.ts). */
export const WRAPPER_PARAMS =
  "exports, require, module, __filename, __dirname, process, console, setTimeout, setInterval, clearTimeout, clearInterval, queueMicrotask, Date, Math";
/** On the file's first line, so line numbers stay the file's own. */
export const WRAPPER_PREFIX = `(function (${WRAPPER_PARAMS}) {`;
export const WRAPPER_SUFFIX = "\n})";

/** Names of the built-in files in stacks and in `require`. */
export const SHIM_FILE = "faultline:shim.js";
export const LIBRARY_FILE = "(faultline)/node.js";

/** A file ready to evaluate: its wrapped text and how to map its locations back. */
export interface CompiledFile {
  name: string;
  code: string;
  /** Decoded source map (TypeScript only): per generated line, [generatedColumn, sourceLine, sourceColumn] triples. */
  map?: number[][];
}

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export class ProgramSyntaxError extends Error {
  constructor(readonly location: SourceLocation, message: string) {
    super(message);
  }
}

/** Wraps one file (TypeScript is transformed first); throws ProgramSyntaxError for bad TypeScript. */
export function compileFile(name: string, source: string): CompiledFile {
  // A first line "#!/usr/bin/env node" is a comment, as Node reads it.
  const text = source.startsWith("#!") ? `//${source.slice(2)}` : source;
  if (!name.endsWith(".ts")) return { name, code: WRAPPER_PREFIX + text + WRAPPER_SUFFIX };
  try {
    const out = transform(text, {
      transforms: ["typescript", "imports"],
      filePath: name,
      sourceMapOptions: { compiledFilename: name },
    });
    return { name, code: WRAPPER_PREFIX + out.code + WRAPPER_SUFFIX, map: out.sourceMap ? decodeMappings(out.sourceMap.mappings) : undefined };
  } catch (e) {
    throw syntaxErrorOf(name, e);
  }
}

function syntaxErrorOf(name: string, e: unknown): ProgramSyntaxError {
  const message = e instanceof Error ? e.message : String(e);
  const at = /\((\d+):(\d+)\)/.exec(message);
  const line = at ? Number(at[1]) : 1;
  const column = at ? Number(at[2]) + 1 : 1;
  return new ProgramSyntaxError({ file: name, line, column }, `SyntaxError: ${message.replace(/\s*\(\d+:\d+\)\s*$/, "")}`);
}

/** Maps a location in the wrapped, compiled text back to the user's file (1-based line and column). */
export function mapLocation(file: CompiledFile | undefined, name: string, line: number, column: number): SourceLocation {
  let col = line === 1 ? Math.max(1, column - WRAPPER_PREFIX.length) : column;
  if (!file?.map) return { file: name, line, column: col };
  const segments = file.map[line - 1];
  if (!segments || segments.length === 0) return { file: name, line, column: col };
  let best = 0;
  for (let i = 0; i < segments.length; i += 3) if (segments[i]! <= col - 1) best = i;
  const srcLine = segments[best + 1]! + 1;
  col = segments[best + 2]! + 1 + Math.max(0, col - 1 - segments[best]!);
  return { file: name, line: srcLine, column: col };
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Source map "mappings" (VLQ) to per-line [genColumn, srcLine, srcColumn] triples (one source). */
export function decodeMappings(mappings: string): number[][] {
  const lines: number[][] = [];
  let srcLine = 0;
  let srcCol = 0;
  for (const lineText of mappings.split(";")) {
    const out: number[] = [];
    let genCol = 0;
    for (const seg of lineText.split(",")) {
      if (seg === "") continue;
      const v = decodeVlq(seg);
      genCol += v[0] ?? 0;
      if (v.length >= 4) {
        srcLine += v[2]!;
        srcCol += v[3]!;
        out.push(genCol, srcLine, srcCol);
      }
    }
    lines.push(out);
  }
  return lines;
}

function decodeVlq(seg: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of seg) {
    const digit = BASE64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}

/** Frames of a QuickJS stack ("    at f (file.js:3:7)"), innermost first. */
export function stackFrames(stack: string): { file: string; line: number; column: number }[] {
  const out = [];
  for (const raw of stack.split("\n")) {
    const m = /^\s*at (?:[^(]*\()?(.+):(\d+):(\d+)\)?\s*$/.exec(raw);
    if (m) out.push({ file: m[1]!, line: Number(m[2]), column: Number(m[3]) });
  }
  return out;
}

/** An error thrown in the program, as the node's failure: the innermost frame in a program file wins. */
export function programError(
  reason: string,
  error: { name: string; message: string; stack: string },
  files: ReadonlyMap<string, CompiledFile>,
): NodeError {
  const message = error.name ? `${error.name}: ${error.message}` : error.message;
  const frames = stackFrames(error.stack);
  const frame = frames.find((f) => files.has(f.file) && !isBuiltin(f.file)) ?? frames[0];
  if (!frame) return { reason, message };
  const at = mapLocation(files.get(frame.file), frame.file, frame.line, frame.column);
  return { reason, message, file: at.file, line: at.line, column: at.column };
}

export function isBuiltin(name: string): boolean {
  return name === SHIM_FILE || name === LIBRARY_FILE;
}

// ---------------------------------------------------------------- checks for the scenario parser

export interface ProgramProblem {
  /** "main", or "files.<name>" */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*\.(?:js|ts)$/;

/** The service's caps on a program's files, and that `main` is one of them. */
export function checkProgramFiles(main: string, files: Record<string, string>): ProgramProblem[] {
  const problems: ProgramProblem[] = [];
  const names = Object.keys(files);
  const L = PROGRAM_LIMITS;
  if (names.length > L.MAX_FILES) problems.push({ path: "files", message: `at most ${L.MAX_FILES} files` });
  let total = 0;
  for (const name of names) {
    const text = files[name]!;
    total += text.length;
    if (name.length > L.MAX_FILE_NAME_CHARS || !FILE_NAME.test(name)) {
      problems.push({ path: `files.${name}`, message: `a file name is letters, digits, '_', '-', '.' and '/' (at most ${L.MAX_FILE_NAME_CHARS} characters), ending in .js or .ts` });
    }
    if (text.length > L.MAX_FILE_CHARS) problems.push({ path: `files.${name}`, message: `a file has at most ${L.MAX_FILE_CHARS} characters` });
  }
  if (total > L.MAX_TOTAL_FILE_CHARS) problems.push({ path: "files", message: `the files have at most ${L.MAX_TOTAL_FILE_CHARS} characters together` });
  if (!(main in files)) problems.push({ path: "main", message: `'${main}' is not one of the program's files` });
  return problems;
}

/** Syntax errors found without running anything (sucrase's parser; the interpreter may find more). */
export function checkProgramSyntax(files: Record<string, string>): ProgramProblem[] {
  const problems: ProgramProblem[] = [];
  for (const [name, text] of Object.entries(files)) {
    try {
      transform(text, { transforms: name.endsWith(".ts") ? ["typescript", "imports"] : [], filePath: name });
    } catch (e) {
      const err = syntaxErrorOf(name, e);
      problems.push({ path: `files.${name}`, message: err.message, line: err.location.line, column: err.location.column });
    }
  }
  return problems;
}
