// Example assignments on the built-in protocols (docs/protocols.md), one per protocol beside the
// Raft one in examples.ts: "break it" on a protocol with a named bug variant switched on, and a
// "fix the bug" on Paxos, forked into the student's own program with the bug written into its code.
// Each answer below was found with the random nemesis and `faultline shrink` (docs/search.md), and
// the demo test grades it (tests/integration/courses.test.ts). Browser-safe, like examples.ts.
import type { AssignmentKind, TAssignmentFields } from "./definition";
import { builtinProtocol } from "@/server/sim/protocols/registry";
import { forkIntoProgram, programFilesOf, setProgramFile } from "@/server/scenarios/program-files";
import { withoutFaults } from "./examples";

type Example = TAssignmentFields & { kind: AssignmentKind };

function example(kind: string): string {
  const def = builtinProtocol(kind);
  if (!def) throw new Error(`no built-in protocol ${kind}`);
  return def.example;
}

/** The protocol's example with `variant` switched on, its faults removed, and a new name and description. */
function breakItStarter(kind: string, variant: string, name: string, description: string, checks: string): string {
  const source = withoutFaults(example(kind))
    .replace(/^name: .*$/m, `name: ${JSON.stringify(name)}`)
    .replace(/description: \|\n( {2}.*\n)+/, `description: |\n${description.replace(/^/gm, "  ")}\n`)
    .replace(/^(protocol: \{ kind: [\w-]+[^}]*?) \}$/m, `$1, variant: ${variant} }`)
    .replace(/^checks: .*$/m, `checks: ${checks}`);
  if (!source.includes(`variant: ${variant}`)) throw new Error(`could not switch on ${variant} in the ${kind} example`);
  return source;
}

function breakIt(fields: { title: string; instructions: string; starterSource: string; check: string; maxFaults: number; faultKinds: string[] }, deadline: Date): Example {
  return {
    kind: "break-it",
    title: fields.title,
    instructions: fields.instructions,
    starterSource: fields.starterSource,
    deadline,
    latePolicy: { kind: "none" },
    submissionsPerHour: null,
    sharing: "never",
    draft: false,
    rules: { maxFaults: fields.maxFaults, faultKinds: fields.faultKinds },
    tests: [
      { name: `${fields.check} fails on one of seeds 1 to 5`, points: 6, visible: true, seeds: { from: 1, count: 5 }, requirements: { check: fields.check, failOn: "any" } },
      { name: `${fields.check} fails on one of seeds 101 to 110`, points: 4, visible: false, seeds: { from: 101, count: 10 }, requirements: { check: fields.check, failOn: "any" } },
    ],
  };
}

export function demoPrimaryBackupBreakIt(deadline: Date): Example {
  return breakIt(
    {
      title: "Break it: a primary that answers before its backups have the write",
      instructions:
        "This primary acknowledges a write as soon as it has applied it, then forwards it to its backups (the `ack-before-backup` bug).\n\nAdd at most 3 faults, of the kinds `partition` and `crash`, so that **a write the client was told succeeded is lost** (`no-lost-writes` fails). Think about what the next primary knows when the old one is cut off.",
      starterSource: breakItStarter("primary-backup", "ack-before-backup", "Break primary-backup: lose an acknowledged write", "This primary answers a write before its backups have it.\nAdd partitions and crashes so that an acknowledged write is lost.", "[no-lost-writes, single-primary]"),
      check: "no-lost-writes",
      maxFaults: 3,
      faultKinds: ["partition", "crash"],
    },
    deadline,
  );
}

export function demoBroadcastBreakIt(deadline: Date): Example {
  return breakIt(
    {
      title: "Break it: a reliable broadcast that never relays",
      instructions:
        "These nodes deliver a message and pass it on only when they broadcast it themselves: nobody relays what they received (the `no-relay` bug).\n\nAdd at most 2 faults, of the kinds `partition` and `crash`, so that **one correct node delivers a message that another correct node never does** (`broadcast-agreement` fails).",
      starterSource: breakItStarter("broadcast", "no-relay", "Break reliable broadcast: agreement", "These nodes never relay what they receive.\nAdd a partition and a crash so that correct nodes disagree on what was delivered.", "[broadcast-agreement, broadcast-integrity]"),
      check: "broadcast-agreement",
      maxFaults: 2,
      faultKinds: ["partition", "crash"],
    },
    deadline,
  );
}

export function demoTwoPhaseCommitBreakIt(deadline: Date): Example {
  return breakIt(
    {
      title: "Break it: two-phase commit without a decision log",
      instructions:
        "This coordinator keeps its decisions in memory only (the `no-decision-log` bug): after a crash it has forgotten what it decided.\n\nAdd at most 4 crashes so that **one transaction is committed at one participant and aborted at another** (`atomicity` fails). When must the coordinator crash, and for how long?",
      starterSource: breakItStarter("two-phase-commit", "no-decision-log", "Break two-phase commit: atomicity", "This coordinator forgets its decisions when it crashes.\nAdd crashes so that a transaction commits somewhere and aborts elsewhere.", "[atomicity, commit-validity]"),
      check: "atomicity",
      maxFaults: 4,
      faultKinds: ["crash"],
    },
    deadline,
  );
}

/** The line of the Paxos proposer that picks the value of phase 2a, and the bug put in its place. */
const PAXOS_VALUE_LINE = 'var value = forced !== null && !(variant === "ignore-accepted-value" && p.own !== null) ? forced : p.own;';
const PAXOS_BUGGY_LINE = "var value = p.own !== null ? p.own : forced; // our own value first: it is what our client asked for";

/**
 * The Paxos example forked into a program whose proposer ignores the values acceptors report. The
 * student mends the program's code, so this is an implement-it (docs/courses.md), not a fix-it: a
 * fix-it lets students change only the protocol's parameters.
 */
export function paxosBuggyStarter(): string {
  const base = example("paxos")
    .replace(/^name: .*$/m, 'name: "Implement it: fix a Paxos proposer that forgets what was accepted"')
    .replace(/description: \|\n( {2}.*\n)+/, "description: |\n  Two clients' writes can both be chosen for one slot: the replicas disagree.\n  Find the bug in proposer.js and fix it. You may change only the program's files.\n");
  const forked = forkIntoProgram(base);
  const proposer = forked ? programFilesOf(forked)?.files.find(([name]) => name === "proposer.js")?.[1] : undefined;
  if (!forked || !proposer || !proposer.includes(PAXOS_VALUE_LINE)) throw new Error("the Paxos example no longer forks into a proposer with the expected value line");
  return setProgramFile(forked, "proposer.js", proposer.replace(PAXOS_VALUE_LINE, PAXOS_BUGGY_LINE));
}

/** A grading scenario: the Paxos example (its faults, or none) for the student's program. */
function paxosGrading(name: string, withFaults: boolean): string {
  const source = example("paxos").replace(/^name: .*$/m, `name: ${JSON.stringify(name)}`);
  return withFaults ? source : withoutFaults(source);
}

export function demoPaxosImplementIt(deadline: Date): Example {
  return {
    kind: "implement-it",
    title: "Implement it: fix a Paxos proposer that forgets what was accepted",
    instructions:
      "This multi-decree Paxos is the built-in one, forked into a program you can edit, with one bug added to `proposer.js`: sometimes two different values are chosen for the same slot (`agreement` fails).\n\nRead phase 1b and 2a in *Paxos Made Simple* (section 2.2), find the line that breaks them, and fix it. You may change only the program's files. The visible test's failing seeds open as runs; the hidden test runs more seeds without faults.",
    starterSource: paxosBuggyStarter(),
    deadline,
    latePolicy: { kind: "none" },
    submissionsPerHour: null,
    sharing: "never",
    draft: false,
    rules: {},
    tests: [
      { name: "partitions and crashes", points: 6, visible: true, seeds: { from: 1, count: 5 }, scenario: paxosGrading("Paxos under partitions and crashes", true), requirements: { checks: ["agreement"], minHeldShare: 1 } },
      { name: "no faults at all", points: 4, visible: false, seeds: { from: 101, count: 10 }, scenario: paxosGrading("Paxos on a quiet network", false), requirements: { checks: ["agreement"], minHeldShare: 1 } },
    ],
  };
}
