// Hints that runs changed, so an idle worker wakes the moment a run is queued and a run page
// hears of progress without polling. PostgreSQL: LISTEN on the channels the Run trigger
// notifies at commit (migration 0003). SQLite: a watch on the database's folder, since every
// commit writes the database or its write-ahead log; it serves web and worker in one process
// or in several on one machine. These are hints only: listeners read the database again, and
// keep a slow poll in case one is lost.
import { watch, type FSWatcher } from "node:fs";
import path from "node:path";
import pg from "pg";

/** Wait before reconnecting a lost LISTEN connection. */
const LISTEN_RECONNECT_MS = 1000;
/** How long a feed nobody listens to keeps its connection or watcher, so pages coming and going do not churn it. */
const FEED_LINGER_MS = 30_000;

export interface ChangeFeed {
  /** Calls `fn` when a run may have become claimable. Returns the unsubscribe function. */
  onQueue(fn: () => void): () => void;
  /** Calls `fn` with the id of a run that changed, or null when any run may have (SQLite). */
  onRun(fn: (runId: string | null) => void): () => void;
}

class Feed implements ChangeFeed {
  private readonly queueListeners = new Set<() => void>();
  private readonly runListeners = new Set<(runId: string | null) => void>();
  private stopSource: (() => void) | null = null;
  private lingering: NodeJS.Timeout | null = null;
  private pendingAny = false;

  constructor(private readonly url: string) {}

  onQueue(fn: () => void): () => void {
    this.queueListeners.add(fn);
    this.started();
    return () => {
      this.queueListeners.delete(fn);
      this.maybeStop();
    };
  }

  onRun(fn: (runId: string | null) => void): () => void {
    this.runListeners.add(fn);
    this.started();
    return () => {
      this.runListeners.delete(fn);
      this.maybeStop();
    };
  }

  private emitQueue(): void {
    for (const fn of [...this.queueListeners]) fn();
  }

  private emitRun(runId: string | null): void {
    for (const fn of [...this.runListeners]) fn(runId);
  }

  /** "Something changed": one call per burst of file events. */
  private emitAny(): void {
    if (this.pendingAny) return;
    this.pendingAny = true;
    setImmediate(() => {
      this.pendingAny = false;
      this.emitQueue();
      this.emitRun(null);
    });
  }

  private started(): void {
    if (this.lingering) clearTimeout(this.lingering);
    this.lingering = null;
    if (this.stopSource) return;
    this.stopSource = this.url.startsWith("file:") ? this.watchFiles() : this.listen();
  }

  private maybeStop(): void {
    if (this.queueListeners.size > 0 || this.runListeners.size > 0 || !this.stopSource || this.lingering) return;
    this.lingering = setTimeout(() => this.close(), FEED_LINGER_MS);
    this.lingering.unref();
  }

  /** Stops listening now (tests, shutdown); the next subscription starts again. */
  close(): void {
    if (this.lingering) clearTimeout(this.lingering);
    this.lingering = null;
    this.stopSource?.();
    this.stopSource = null;
  }

  private watchFiles(): () => void {
    const file = this.url.slice("file:".length);
    if (file === ":memory:") return () => undefined;
    const resolved = path.resolve(/*turbopackIgnore: true*/ process.cwd(), file);
    const base = path.basename(resolved);
    let watcher: FSWatcher | null = null;
    try {
      // The folder, not the files: the write-ahead log is created and removed as connections come and go.
      watcher = watch(path.dirname(resolved), { persistent: false }, (_event, name) => {
        if (!name || String(name).startsWith(base)) this.emitAny();
      });
      watcher.on("error", () => undefined);
    } catch {
      // No file watching here: listeners fall back to their polls.
    }
    return () => watcher?.close();
  }

  private listen(): () => void {
    let client: pg.Client | null = null;
    let closed = false;
    let retry: NodeJS.Timeout | null = null;
    const connect = () => {
      if (closed) return;
      const c = new pg.Client({ connectionString: this.url });
      client = c;
      const lost = () => {
        if (client !== c) return;
        client = null;
        void c.end().catch(() => undefined);
        if (!closed) retry = setTimeout(connect, LISTEN_RECONNECT_MS);
      };
      c.on("error", lost);
      c.on("end", lost);
      c.on("notification", (n) => {
        if (n.channel === "faultline_queue") this.emitQueue();
        else if (n.channel === "faultline_run") this.emitRun(n.payload || null);
      });
      c.connect()
        .then(() => c.query("LISTEN faultline_queue"))
        .then(() => c.query("LISTEN faultline_run"))
        // Anything may have changed while we were not listening.
        .then(() => this.emitAny())
        .catch(lost);
    };
    connect();
    return () => {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      void c?.end().catch(() => undefined);
    };
  }
}

const cache = globalThis as unknown as { faultlineFeeds?: Map<string, Feed> };

/** The process's change feed for a database URL (one connection or watcher, shared). */
export function changeFeed(url: string): ChangeFeed {
  const feeds = (cache.faultlineFeeds ??= new Map());
  let feed = feeds.get(url);
  if (!feed) {
    feed = new Feed(url);
    feeds.set(url, feed);
  }
  return feed;
}

/** Closes every feed of this process (tests, before dropping their databases). */
export function closeChangeFeeds(): void {
  for (const feed of cache.faultlineFeeds?.values() ?? []) feed.close();
}
