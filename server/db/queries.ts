// Small query pieces that differ between SQLite and PostgreSQL, kept in one place.
import type { DbProvider } from "./client";

/** Case-insensitive "contains" for a string column. SQLite's LIKE already ignores ASCII
 * case; PostgreSQL needs mode: "insensitive" (a field the SQLite client type lacks). */
export function containsText(provider: DbProvider, q: string): { contains: string } {
  return provider === "postgres" ? ({ contains: q, mode: "insensitive" } as { contains: string }) : { contains: q };
}

export const PAGE_SIZE_MAX = 50;

export function pageArgs(page: number, pageSize: number): { skip: number; take: number } {
  return { skip: (page - 1) * pageSize, take: pageSize };
}
