"use client";
// Light or dark: follows the system (prefers-color-scheme) until the user picks the other one here;
// the choice is kept in a cookie so the server writes it on <html> and no page flashes the other
// one. Toggling back to the system's theme forgets the choice, so the page follows the system again.
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
        const followSystem = next === systemTheme();
        if (followSystem) delete document.documentElement.dataset.theme;
        else document.documentElement.dataset.theme = next;
        document.cookie = followSystem ? `${THEME_COOKIE}=; path=/; max-age=0; samesite=lax` : `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
        setTheme(followSystem ? null : next);
      }}
    >
      <span aria-hidden="true">{current === "dark" ? "☀" : "☾"}</span> Dark mode
    </button>
  );
}
