"use client";
// Light or dark: follows the system (prefers-color-scheme) until the user picks one here; the
// choice is kept in a cookie so the server writes it on <html> and no page flashes the other one.
import { useEffect, useState } from "react";
import { THEME_COOKIE, type Theme } from "./theme";

function systemTheme(): Theme {
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function ThemeToggle({ initial }: { initial: Theme | null }) {
  const [theme, setTheme] = useState<Theme | null>(initial);
  const [system, setSystem] = useState<Theme>("light");
  useEffect(() => setSystem(systemTheme()), []);
  const current = theme ?? system;
  const next: Theme = current === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      className="small theme-toggle"
      data-testid="theme-toggle"
      aria-pressed={current === "dark"}
      title={`Use the ${next} theme`}
      onClick={() => {
        document.documentElement.dataset.theme = next;
        document.cookie = `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
        setTheme(next);
      }}
    >
      <span aria-hidden="true">{current === "dark" ? "☀" : "☾"}</span> Dark mode
    </button>
  );
}
