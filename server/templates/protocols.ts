// A template per built-in protocol: its example scenario, under the faults its lesson needs (a
// partition that heals, a leader or coordinator crash and restart, loss and duplication).

import { parse } from "yaml";
import { BUILTIN_PROTOCOLS } from "@/server/sim/protocols/registry";
import type { ScenarioTemplate } from "./index";

export const PROTOCOL_TEMPLATES: ScenarioTemplate[] = BUILTIN_PROTOCOLS.map((p) => ({
  id: `protocol-${p.kind}`,
  title: String((parse(p.example) as { name: string }).name),
  summary: p.summary,
  slide: "After the slide: surviving the failures",
  source: p.example,
}));
