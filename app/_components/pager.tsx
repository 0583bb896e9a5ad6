// Previous / next links for a paged list; keeps the other query parameters. A page past the
// end (an old link, ?page=999) says so and links to the last page instead of "Page 999 of 2".
import Link from "next/link";

export function Pager({ basePath, params, page, pageSize, total }: { basePath: string; params: Record<string, string | undefined>; page: number; pageSize: number; total: number }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const href = (p: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
    q.set("page", String(p));
    return `${basePath}?${q.toString()}`;
  };
  if (total > 0 && page > pages) {
    return (
      <div className="panel empty" role="status" data-testid="no-such-page">
        There is no page {page}: the list has {pages} {pages === 1 ? "page" : "pages"}. <Link href={href(pages)}>Go to page {pages}</Link>
        {pages > 1 ? <> or <Link href={href(1)}>the first page</Link></> : null}.
      </div>
    );
  }
  return (
    <nav className="pager" aria-label="Pages">
      <span>
        {total === 0 ? "nothing yet" : `${(page - 1) * pageSize + 1}–${Math.min(total, page * pageSize)} of ${total}`}
      </span>
      {page > 1 ? <Link className="button small" href={href(page - 1)}>← Previous</Link> : <span className="button small" aria-disabled="true" style={{ opacity: 0.4 }}>← Previous</span>}
      <span>Page {page} of {pages}</span>
      {page < pages ? <Link className="button small" href={href(page + 1)}>Next →</Link> : <span className="button small" aria-disabled="true" style={{ opacity: 0.4 }}>Next →</span>}
    </nav>
  );
}

/** Reads a positive page number from a search parameter. */
export function pageParam(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}
