// The random nemesis: a `{ kind: random }` fault entry drawn, from the run's seed, into plain fault
// entries before the run starts, so every run with one can be saved as an ordinary scenario that replays it.
//
// Each random entry draws from its own named stream (`nemesis/<index>`) of a bank of its own, so no
// other stream of the run (network, faults, protocol) sees a different draw. The drawn faults take
// the random entry's place in the list; the run is exactly the run of the expanded scenario.

import { RandomStreams } from "../engine/rng";
import { NODE_WORKLOAD_KINDS, SERVICE_IDS, type Fault, type MessageMatch, type NodeWorkload, type RandomNemesis, type Scenario } from "../scenario/types";
import { RANDOM_DEFAULTS } from "./random-defaults";

type RandomFault = Extract<Fault, { kind: "random" }>;

const NO_MATCH: MessageMatch = { from: null, to: null, type: null, nth: null };
/** Drawn times are whole milliseconds, so the spelled-out schedule reads well and parses back exactly. */
const MS = 1000;
/** A delay burst adds up to between these. */
const DELAY_MAX_MIN_US = 10_000;
const DELAY_MAX_MAX_US = 200_000;
/** A loss burst drops each message with a probability between these. */
const LOSS_MIN = 0.2;
const LOSS_MAX = 0.8;
/** A clock fault's offset and drift are at most these (either sign). */
const CLOCK_OFFSET_MAX_US = 500_000;
const CLOCK_DRIFT_MAX = 0.1;

/** True when the scenario has a random entry to expand. */
export function hasRandomFaults(scenario: Scenario): boolean {
  return scenario.faults.some((f) => f.kind === "random");
}

/** The scenario with each random entry replaced, in place, by the faults it draws for this seed. */
export function expandRandomFaults(scenario: Scenario, seed: number): Scenario {
  if (!hasRandomFaults(scenario)) return scenario;
  const rng = new RandomStreams(seed);
  const faults: Fault[] = [];
  scenario.faults.forEach((f, i) => {
    if (f.kind !== "random") faults.push(f);
    else faults.push(...drawSchedule(scenario, f, rng, rng.add(`nemesis/${i}`)));
  });
  return { ...scenario, faults };
}

/** The nodes the protocol runs on (the random nemesis's default targets) and every other node of the run. */
export function nemesisNodes(scenario: Scenario, nodes: string[] | null): { targets: string[]; others: string[] } {
  const declared = scenario.nodes.map((n) => n.id);
  let all = declared;
  let members = declared;
  if (scenario.protocol.kind !== "request-response") {
    const w = scenario.workload[0];
    const clients = w && (NODE_WORKLOAD_KINDS as readonly string[]).includes(w.kind) ? (w as NodeWorkload).clients : 0;
    const clientIds = Array.from({ length: clients }, (_, i) => `c${i + 1}`);
    all = [...declared, ...[...clientIds, ...SERVICE_IDS].filter((id) => !declared.includes(id))];
    members = scenario.nodes.filter((n) => n.role !== "client" && !clientIds.includes(n.id)).map((n) => n.id);
  }
  const targets = nodes ? all.filter((id) => nodes.includes(id)) : members;
  return { targets, others: all.filter((id) => !targets.includes(id)) };
}

function drawSchedule(scenario: Scenario, spec: RandomFault, rng: RandomStreams, s: number): Fault[] {
  const { targets, others } = nemesisNodes(scenario, spec.nodes);
  const fromUs = spec.fromUs;
  const endUs = Math.min(spec.untilUs ?? scenario.untilUs, scenario.untilUs);
  const quietUs = spec.quietUs >= 0 ? spec.quietUs : Math.round((endUs - fromUs) * RANDOM_DEFAULTS.quietShare);
  const lastUs = endUs - quietUs;
  const out: Fault[] = [];
  const ms = (us: number) => Math.round(us / MS) * MS;
  const pick = <T>(list: readonly T[]): T => list[rng.below(s, list.length)]!;
  let t = fromUs;
  for (let drawn = 0; drawn < spec.max; ) {
    t = Math.max(t + MS, ms(t + exponential(rng, s, spec.everyUs)));
    if (t >= lastUs) break;
    const kind = pick(spec.kinds);
    const lengthUs = ms(spec.lengthMinUs + rng.float(s) * (spec.lengthMaxUs - spec.lengthMinUs));
    const untilUs = Math.min(t + Math.max(MS, lengthUs), lastUs);
    if (untilUs <= t || targets.length === 0) continue;
    const node = pick(targets);
    const win = { fromUs: t, untilUs };
    switch (kind) {
      case "crash":
        out.push({ kind: "crash", node, atUs: t, restartUs: untilUs - t });
        break;
      case "pause":
        out.push({ kind: "pause", node, ...win });
        break;
      case "partition": {
        if (targets.length < 2) continue;
        out.push(...drawPartition(targets, others, rng, s, win));
        break;
      }
      case "loss":
        out.push({ kind: "drop", match: NO_MATCH, probability: round2(LOSS_MIN + rng.float(s) * (LOSS_MAX - LOSS_MIN)), ...win });
        break;
      case "delay":
        out.push({ kind: "delay", match: NO_MATCH, by: { dist: "uniform", minUs: 0, maxUs: ms(DELAY_MAX_MIN_US + rng.float(s) * (DELAY_MAX_MAX_US - DELAY_MAX_MIN_US)) }, ...win });
        break;
      case "duplicate":
        out.push({ kind: "duplicate", match: { ...NO_MATCH, to: node }, ...win });
        break;
      case "clock": {
        const sign = rng.below(s, 2) === 0 ? -1 : 1;
        out.push({ kind: "clock", node, offsetUs: sign * ms(rng.float(s) * CLOCK_OFFSET_MAX_US), drift: round2(sign * rng.float(s) * CLOCK_DRIFT_MAX), ...win });
        break;
      }
    }
    drawn++;
  }
  return out;
}

/**
 * One partition of the targets: halves, a majority and a minority, one node isolated, or a bridge
 * (two sides that both reach one node but not each other: drops, since groups cannot overlap). The
 * run's other nodes (clients, services) stay with the majority side.
 */
function drawPartition(targets: string[], others: string[], rng: RandomStreams, s: number, win: { fromUs: number; untilUs: number }): Fault[] {
  const n = targets.length;
  const shuffled = [...targets];
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(s, i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const inOrder = (ids: string[]) => targets.filter((id) => ids.includes(id));
  const shapes = n >= 3 ? (["halves", "majority", "isolate", "bridge"] as const) : (["halves", "isolate"] as const);
  const shape = shapes[rng.below(s, shapes.length)]!;
  if (shape === "bridge") {
    const sideA = inOrder(shuffled.slice(1, 1 + Math.floor((n - 1) / 2)));
    const sideB = inOrder(shuffled.slice(1 + sideA.length));
    const drops: Fault[] = [];
    for (const a of sideA) {
      for (const b of sideB) {
        drops.push({ kind: "drop", match: { ...NO_MATCH, from: a, to: b }, probability: 1, ...win });
        drops.push({ kind: "drop", match: { ...NO_MATCH, from: b, to: a }, probability: 1, ...win });
      }
    }
    return drops;
  }
  const minoritySize = shape === "halves" ? Math.floor(n / 2) : shape === "isolate" ? 1 : 1 + rng.below(s, Math.floor((n - 1) / 2));
  const minority = inOrder(shuffled.slice(0, minoritySize));
  const majority = inOrder(shuffled.slice(minoritySize));
  return [{ kind: "partition", groups: [[...majority, ...others], minority], ...win }];
}

function exponential(rng: RandomStreams, s: number, meanUs: number): number {
  return -Math.log(1 - rng.float(s)) * meanUs;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export type { RandomNemesis };
