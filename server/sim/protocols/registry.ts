// The built-in protocols by kind, and the checks they define (any program that writes the same
// notes may use those checks too). Adding a protocol: a folder beside this file, listed here.

import type { CheckResult } from "../checkers/result";
import type { BuiltinProtocolDefinition, CheckSpec, ProtocolCheckInput } from "./builtin";
import { broadcast } from "./broadcast";
import { paxos } from "./paxos";
import { primaryBackup } from "./primary-backup";
import { raft } from "./raft";
import { twoPhaseCommit } from "./two-phase-commit";

export const BUILTIN_PROTOCOLS: readonly BuiltinProtocolDefinition[] = [broadcast, twoPhaseCommit, primaryBackup, raft, paxos];

export function builtinProtocol(kind: string): BuiltinProtocolDefinition | undefined {
  return BUILTIN_PROTOCOLS.find((p) => p.kind === kind);
}

/** The protocol that defines a check, and the check's spec. */
export function protocolCheck(name: string): { protocol: BuiltinProtocolDefinition; spec: CheckSpec } | undefined {
  for (const protocol of BUILTIN_PROTOCOLS) {
    const spec = protocol.checks.find((c) => c.name === name);
    if (spec) return { protocol, spec };
  }
  return undefined;
}

/** Evaluates a protocol check on any run of nodes (its notes are what it reads). */
export function evaluateProtocolCheck(name: string, input: ProtocolCheckInput): CheckResult {
  const found = protocolCheck(name);
  if (!found) return { name, ok: false, message: `no protocol defines the check ${name}` };
  return { ...found.protocol.check(name, input), name, type: found.spec.type };
}
