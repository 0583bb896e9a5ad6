// Entry of every simulator worker thread. Plain JavaScript so it loads under any parent (tsx, vitest,
// plain node): it registers tsx's TypeScript loader for this thread, then loads the worker itself.
import { register } from "tsx/esm/api";

register();
await import(new URL("./worker.ts", import.meta.url).href);
