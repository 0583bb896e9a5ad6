#!/usr/bin/env node
// The `faultline` command. Plain JavaScript so `npx faultline` runs with no build step: it registers
// tsx's TypeScript loader (a dependency of the project), then runs cli/main.ts.
import { register } from "tsx/esm/api";

register();
const { main } = await import(new URL("../cli/main.ts", import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
