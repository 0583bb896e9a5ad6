// The Markdown renderer used for assignment instructions and the format reference: what it
// renders, and that text from users cannot become markup or script links.
import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { Markdown, safeHref } from "@/app/_components/markdown";

const html = (text: string) => renderToStaticMarkup(createElement(Markdown, { text }));

describe("Markdown", () => {
  it("renders headings, paragraphs, code and emphasis", () => {
    expect(html("# Title\n\nSome **bold** and `code`.")).toBe('<div class="markdown"><h2>Title</h2><p>Some <strong>bold</strong> and <code>code</code>.</p></div>');
  });

  it("renders tables, skipping the separator row", () => {
    const out = html("| field | meaning |\n|---|---|\n| `seed` | a number |\n| until | when to stop |");
    expect(out).toContain("<thead><tr><th>field</th><th>meaning</th></tr></thead>");
    expect(out).toContain("<tr><td><code>seed</code></td><td>a number</td></tr><tr><td>until</td><td>when to stop</td></tr>");
    expect(out).not.toContain("---");
  });

  it("joins indented continuation lines into their list item", () => {
    expect(html("- first item\n  goes on here\n- second")).toContain("<ul><li>first item goes on here</li><li>second</li></ul>");
  });

  it("never renders raw HTML or script links", () => {
    const out = html('<img src=x onerror="alert(1)"> [click](javascript:alert(1)) [ok](https://example.org)');
    expect(out).not.toContain("<img");
    expect(out).toContain("&lt;img");
    expect(out).not.toContain("javascript:");
    expect(out).toContain('<a href="https://example.org" rel="noopener noreferrer">ok</a>');
  });

  it("links only to web addresses and to paths on this site, however the link is disguised", () => {
    for (const bad of ["//evil.example/x", "/\\evil.example", "\\\\evil.example", "https:evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,x", "ftp://evil.example", "mailto:a@b.c", "evil.example/path"]) {
      expect(safeHref(bad), bad).toBeNull();
      expect(html(`[x](${bad})`), bad).not.toContain("<a");
    }
    for (const good of ["https://example.org/a?b=c#d", "http://example.org", "/help/format", "/runs/abc?step=3"]) expect(safeHref(good), good).toBe(good);
    expect(html("[home](//evil.example)")).toBe('<div class="markdown"><p>home</p></div>');
  });
});
