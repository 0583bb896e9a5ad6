// The fault kinds of scenario format v1, for filters and the form editor.
import { FAULT_KINDS as KINDS } from "@/server/sim";

export const FAULT_KINDS: readonly string[] = KINDS;
