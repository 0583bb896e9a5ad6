// The Markdown renderer used for assignment instructions and the format reference: what it
// renders, and that text from users cannot become markup or script links.
import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { Markdown } from "@/app/_components/markdown";

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
});
