// "Make this my program": a built-in protocol scenario becomes a `custom` one whose files are the
// protocol's JavaScript and a config.js of its parameters. Run under the same seed it gives the
// same events (the same shim and library run it; only the sandbox around it differs).

import type { BuiltinProtocol, CustomProtocol } from "../scenario/types";
import { LIMITS } from "../limits";
import { configSource } from "./builtin";
import { builtinProtocol } from "./registry";

/** The program a built-in protocol scenario turns into. */
export function programOf(protocol: BuiltinProtocol): CustomProtocol {
  const def = builtinProtocol(protocol.kind);
  if (!def) throw new Error(`unknown protocol ${protocol.kind}`);
  const files: Record<string, string> = {};
  for (const [name, file] of Object.entries(def.sources())) files[name] = file.source;
  files["config.js"] = configSource(def, protocol.params, protocol.variant);
  return { kind: "custom", main: def.main, files, limits: { fuel: LIMITS.DEFAULT_PROGRAM_FUEL, memoryBytes: LIMITS.DEFAULT_PROGRAM_MEMORY_BYTES } };
}
