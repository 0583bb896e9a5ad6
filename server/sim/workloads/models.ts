// What each workload kind asks of the program nodes (Maelstrom's workloads): the operations its
// clients invoke, the messages that carry them, and how an answer becomes a history entry
// (ok: it happened, fail: it certainly did not, info: unknown).

import { DEFINITE_ERROR_CODES, ERROR_CODES, type MessageBody } from "../nodes/api";
import type { NodeWorkloadKind } from "../scenario/types";
import { OUTCOME_FAIL, OUTCOME_INFO, OUTCOME_OK } from "../trace/kinds";

/** An operation as the history records it (the spec's history format) and the request that carries it. */
export interface OpDraft {
  input: Record<string, unknown>;
  body: { type: string } & Record<string, unknown>;
}

export interface OpResult {
  outcome: number;
  output: unknown;
}

export interface WorkloadModel {
  kind: NodeWorkloadKind;
  /** The next operation a client invokes; `unique` numbers messages and elements across the run. */
  next(random: () => number, unique: () => number): OpDraft;
  /** The history entry an answer makes. */
  answer(op: OpDraft, reply: MessageBody): OpResult;
  /** The read each client sends every program node at the end, or null when there is no final phase. */
  finalRead: OpDraft | null;
}

/** The outcome of an error reply: a definite code means the operation did not happen. */
export function errorOutcome(reply: MessageBody): OpResult {
  const code = typeof reply.code === "number" ? reply.code : -1;
  return DEFINITE_ERROR_CODES.has(code) ? { outcome: OUTCOME_FAIL, output: { error: code, text: reply.text ?? null } } : { outcome: OUTCOME_INFO, output: null };
}

const ok = (output: unknown): OpResult => ({ outcome: OUTCOME_OK, output });

/** Replies of the expected `<type>_ok` are taken; errors by their code; anything else is indeterminate. */
function simpleAnswer(op: OpDraft, reply: MessageBody, output: (reply: MessageBody) => unknown): OpResult {
  if (reply.type === `${op.body.type}_ok`) return ok(output(reply));
  if (reply.type === "error") return errorOutcome(reply);
  return { outcome: OUTCOME_INFO, output: null };
}

const pick = <T>(random: () => number, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const int = (random: () => number, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

export function workloadModel(kind: NodeWorkloadKind, keys: number): WorkloadModel {
  switch (kind) {
    case "echo":
      return {
        kind,
        next: (_random, unique) => {
          const echo = `Please echo ${unique()}`;
          return { input: { op: "echo", echo }, body: { type: "echo", echo } };
        },
        answer: (op, reply) => simpleAnswer(op, reply, (r) => ({ echo: r.echo ?? null })),
        finalRead: null,
      };
    case "unique-ids":
      return {
        kind,
        next: () => ({ input: { op: "generate" }, body: { type: "generate" } }),
        answer: (op, reply) => simpleAnswer(op, reply, (r) => ({ id: r.id ?? null })),
        finalRead: null,
      };
    case "broadcast":
      return setModel(kind, "broadcast", "message", "messages");
    case "g-set":
      return setModel(kind, "add", "element", "value");
    case "g-counter":
    case "pn-counter":
      return {
        kind,
        next: (random) => {
          if (random() < 0.5) return { input: { op: "read" }, body: { type: "read" } };
          const delta = kind === "g-counter" ? int(random, 0, 5) : int(random, -5, 5);
          return { input: { op: "add", delta }, body: { type: "add", delta } };
        },
        answer: (op, reply) => simpleAnswer(op, reply, (r) => (op.body.type === "read" ? { value: r.value ?? null } : {})),
        finalRead: { input: { op: "read", final: true }, body: { type: "read" } },
      };
    case "lin-kv":
      return linKvModel(keys);
    case "txn":
      return txnModel();
  }
}

/**
 * Each operation is a new transaction (`txn { txn }`), answered `txn_ok { committed }`; the final
 * read asks each node what it decided (`status_ok { decided, undecided }`).
 */
function txnModel(): WorkloadModel {
  return {
    kind: "txn",
    next: (_random, unique) => {
      const txn = unique();
      return { input: { op: "txn", txn }, body: { type: "txn", txn } };
    },
    answer: (op, reply) =>
      simpleAnswer(op, reply, (r) => (op.body.type === "txn" ? { committed: r.committed === true } : { decided: r.decided ?? null, undecided: Array.isArray(r.undecided) ? r.undecided : null })),
    finalRead: { input: { op: "status", final: true }, body: { type: "status" } },
  };
}

function setModel(kind: NodeWorkloadKind, addType: string, field: string, readField: string): WorkloadModel {
  return {
    kind,
    next: (random, unique) => {
      if (random() < 0.5) return { input: { op: "read" }, body: { type: "read" } };
      const value = unique();
      return { input: { op: "add", element: value }, body: { type: addType, [field]: value } };
    },
    answer: (op, reply) => simpleAnswer(op, reply, (r) => (op.body.type === "read" ? { value: Array.isArray(r[readField]) ? r[readField] : null } : {})),
    finalRead: { input: { op: "read", final: true }, body: { type: "read" } },
  };
}

/** Reads, writes and compare-and-sets on a few integer keys with a small value domain, so they conflict. */
function linKvModel(keys: number): WorkloadModel {
  const VALUES = 5;
  return {
    kind: "lin-kv",
    next: (random) => {
      const key = int(random, 0, keys - 1);
      const f = pick(random, ["read", "write", "cas"] as const);
      if (f === "read") return { input: { op: "read", key }, body: { type: "read", key } };
      if (f === "write") {
        const value = int(random, 0, VALUES - 1);
        return { input: { op: "write", key, value }, body: { type: "write", key, value } };
      }
      const from = int(random, 0, VALUES - 1);
      const to = int(random, 0, VALUES - 1);
      return { input: { op: "cas", key, from, to }, body: { type: "cas", key, from, to } };
    },
    answer: (op, reply) => {
      const f = op.input.op;
      const code = typeof reply.code === "number" ? reply.code : -1;
      if (reply.type === "error") {
        // A missing key reads as null (the register's initial value); a cas that finds another value did nothing.
        if (f === "read" && code === ERROR_CODES.keyDoesNotExist) return ok({ value: null });
        if (f === "cas" && (code === ERROR_CODES.keyDoesNotExist || code === ERROR_CODES.preconditionFailed)) return ok({ ok: false });
        return errorOutcome(reply);
      }
      if (reply.type !== `${f}_ok`) return { outcome: OUTCOME_INFO, output: null };
      if (f === "read") return ok({ value: reply.value ?? null });
      if (f === "cas") return ok({ ok: true });
      return ok({});
    },
    finalRead: { input: { op: "read", key: 0, final: true }, body: { type: "read", key: 0 } },
  };
}
