// A small Markdown renderer for assignment instructions and the in-app format reference:
// headings, paragraphs, lists, tables, code, emphasis and links, built as React elements
// (never raw HTML), so text written by users cannot inject markup.
import type { ReactNode } from "react";

/** Where links resolve while checking them: a path must stay on this origin to pass. */
const CHECK_BASE = "https://faultline.invalid";

/**
 * A link target that is an http(s) URL or a path on this site, or null. Resolved as the browser
 * would, so "//host", "/\\host", "https:host" and a scheme hidden behind control characters all fail.
 */
export function safeHref(href: string): string | null {
  for (let i = 0; i < href.length; i++) {
    const c = href.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x5c) return null; // control characters and backslashes
  }
  let url: URL;
  try {
    url = new URL(href, CHECK_BASE);
  } catch {
    return null;
  }
  if (href.startsWith("/")) return url.origin === CHECK_BASE && !href.startsWith("//") ? href : null;
  return /^https?:\/\/[^/]/i.test(href) && (url.protocol === "https:" || url.protocol === "http:") ? href : null;
}

function inline(text: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  // `code`, **bold**, *em* or _em_, [text](href)
  const re = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*|_([^_]+)_|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const k = `${key}-${n++}`;
    if (m[1] !== undefined) out.push(<code key={k}>{m[1]}</code>);
    else if (m[2] !== undefined) out.push(<strong key={k}>{m[2]}</strong>);
    else if (m[3] !== undefined || m[4] !== undefined) out.push(<em key={k}>{m[3] ?? m[4]}</em>);
    else {
      const href = safeHref(m[6]!);
      out.push(href ? <a key={k} href={href} rel="noopener noreferrer">{m[5]}</a> : m[5]);
    }
    last = re.lastIndex;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function Markdown({ text }: { text: string }) {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const blocks: ReactNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const key = `b${i}`;
    if (line.startsWith("```")) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.startsWith("```")) code.push(lines[i++]!);
      i++;
      blocks.push(<pre key={key}>{code.join("\n")}</pre>);
      continue;
    }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(4, heading[1]!.length + 1);
      const Tag = `h${level}` as "h2" | "h3" | "h4";
      blocks.push(<Tag key={key}>{inline(heading[2]!, key)}</Tag>);
      i++;
      continue;
    }
    if (/^\s*([-*]|\d+\.)\s+/.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items: ReactNode[] = [];
      while (i < lines.length && /^\s*([-*]|\d+\.)\s+/.test(lines[i]!)) {
        let text = lines[i]!.replace(/^\s*([-*]|\d+\.)\s+/, "");
        i++;
        // Indented lines continue the item.
        while (i < lines.length && /^\s{2,}\S/.test(lines[i]!) && !/^\s*([-*]|\d+\.)\s+/.test(lines[i]!)) text += " " + lines[i++]!.trim();
        items.push(<li key={`${key}-${items.length}`}>{inline(text, `${key}-${items.length}`)}</li>);
      }
      blocks.push(ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>);
      continue;
    }
    if (line.startsWith("|")) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i]!.startsWith("|")) {
        const cells = lines[i]!.replace(/^\|/, "").replace(/\|\s*$/, "").split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, "|"));
        if (!cells.every((c) => /^:?-{3,}:?$/.test(c))) rows.push(cells);
        i++;
      }
      const [head, ...body] = rows;
      blocks.push(
        <div className="table-wrap" key={key}>
          <table className="table">
            {head ? <thead><tr>{head.map((c, j) => <th key={j}>{inline(c, `${key}-h${j}`)}</th>)}</tr></thead> : null}
            <tbody>
              {body.map((r, ri) => (
                <tr key={ri}>{r.map((c, j) => <td key={j}>{inline(c, `${key}-${ri}-${j}`)}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </div>,
      );
      continue;
    }
    if (line.trim() === "") {
      i++;
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== "" && !/^(#{1,4}\s|```|\||\s*([-*]|\d+\.)\s+)/.test(lines[i]!)) para.push(lines[i++]!);
    blocks.push(<p key={key}>{inline(para.join(" "), key)}</p>);
  }
  return <div className="markdown">{blocks}</div>;
}
