// The colour theme a user picked with the header's toggle, kept in a cookie (no pick: the system's).
// A plain module, so the server layout and the client toggle share the name.
export type Theme = "light" | "dark";
export const THEME_COOKIE = "faultline-theme";

export function themeOf(value: string | undefined): Theme | null {
  return value === "dark" || value === "light" ? value : null;
}
