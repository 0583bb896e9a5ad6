// `npm run bench`: runs every section in scripts/bench/*.ts (each exports `title` and `run()`),
// or only those named on the command line: `npm run bench -- sim`.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

interface BenchSection {
  title: string;
  run(): Promise<void> | void;
}

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "bench");
const wanted = process.argv.slice(2);

async function main(): Promise<void> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .filter((f) => wanted.length === 0 || wanted.includes(path.basename(f, ".ts")));
  if (files.length === 0) {
    console.error(`no bench section matches ${wanted.join(", ")}`);
    process.exitCode = 2;
    return;
  }
  for (const f of files) {
    const section = (await import(pathToFileURL(path.join(dir, f)).href)) as BenchSection;
    console.log(`\n## ${section.title} (scripts/bench/${f})\n`);
    await section.run();
  }
}

void main();
