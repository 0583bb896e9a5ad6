// Syntax colours that follow the page's theme. CodeMirror's default highlight style has fixed
// colours chosen for a light background; this is the same style with each colour read from a CSS
// variable (--syn-<hex>) that falls back to the original, so light mode looks exactly as before and
// dark mode (app/globals.css) swaps in lighter tones of the same hues.
import { HighlightStyle, defaultHighlightStyle, syntaxHighlighting } from "@codemirror/language";
import type { Extension } from "@codemirror/state";

function themed(color: unknown): unknown {
  return typeof color === "string" && /^#[0-9a-fA-F]{3,6}$/.test(color) ? `var(--syn-${color.slice(1).toLowerCase()}, ${color})` : color;
}

const themedStyle = HighlightStyle.define(defaultHighlightStyle.specs.map((spec) => ({ ...spec, color: themed(spec.color) as string | undefined })));

/** Syntax highlighting in the page's theme; replaces basicSetup's fallback style. */
export const themedHighlighting: Extension = syntaxHighlighting(themedStyle);
