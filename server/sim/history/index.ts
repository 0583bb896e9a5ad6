// Histories: the JSON format of client operations (docs/histories.md), reading it with every
// problem reported, writing it, and the limits; the linearizability checker is in ../checkers.

export { HISTORY_LIMITS, CHECK_LIMITS, DEFAULT_HISTORY_LIMITS, effectiveHistoryLimits, type HistoryLimits } from "./limits";
export { parseHistoryText, validateHistory, type HistoryParseOptions } from "./parse";
export { historyToJson, describeOperation, describeKey } from "./format";
export {
  HISTORY_MODELS,
  MODEL_OPERATIONS,
  type History,
  type HistoryModel,
  type HistoryKey,
  type HistoryClient,
  type HistoryOperation,
  type HistoryProblem,
  type HistoryParseResult,
  type RegisterValue,
  type RegisterInput,
  type RegisterOutput,
  type RegisterOperation,
  type KvInput,
  type KvOutput,
  type KvOperation,
} from "./types";
