// Reads the field errors the API's error formatter attaches (server/api/trpc.ts).
import { TRPCClientError } from "@trpc/client";

export interface ApiErrorView {
  message: string;
  fieldErrors: Record<string, string[]>;
  scenarioProblems: { path: string; message: string; line?: number; column?: number }[] | null;
  code: string | null;
}

export function apiError(err: unknown): ApiErrorView {
  if (err instanceof TRPCClientError) {
    const data = (err.data ?? {}) as { fieldErrors?: Record<string, string[]> | null; scenarioProblems?: ApiErrorView["scenarioProblems"]; code?: string };
    const fieldErrors = data.fieldErrors ?? {};
    const first = Object.entries(fieldErrors)[0];
    return {
      message: first ? `${first[0]}: ${first[1][0]}` : err.message,
      fieldErrors,
      scenarioProblems: data.scenarioProblems ?? null,
      code: data.code ?? null,
    };
  }
  return { message: err instanceof Error ? err.message : "Something went wrong", fieldErrors: {}, scenarioProblems: null, code: null };
}
