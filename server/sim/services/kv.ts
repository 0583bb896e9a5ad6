// The key-value services every run of nodes has, as Maelstrom defines them: lin-kv (linearizable:
// one copy, each request applied when it arrives), seq-kv (sequentially consistent: a client may
// read an older state, never older than what it saw last) and lww-kv (last write wins over replicas).

import { ERROR_CODES, type MessageBody, type NodeBehavior, type NodeContext } from "../nodes/api";

type Store = Map<string, unknown>;

/** Keys are compared as JSON text, so 1 and "1" are different keys, as in JSON itself. */
const keyOf = (key: unknown) => JSON.stringify(key ?? null);

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Base of the three: message ids, replies and errors. A service's data is durable: a crash makes
 * it unavailable until it restarts, it does not forget.
 */
abstract class KvService implements NodeBehavior {
  private nextMsgId = 0;

  start(): void {}

  crashed(): void {
    this.stopTimers();
  }

  protected stopTimers(): void {}

  timer(ctx: NodeContext, _id: number, label: string): void {
    this.tick(ctx, label);
  }

  receive(ctx: NodeContext, src: string, body: MessageBody): void {
    if (typeof body.msg_id !== "number") return; // a reply or noise: services only answer requests
    switch (body.type) {
      case "read":
      case "write":
      case "cas":
        if (!("key" in body)) return this.error(ctx, src, body, ERROR_CODES.malformedRequest, `${body.type} needs a key`);
        return this.handle(ctx, src, body);
      default:
        return this.error(ctx, src, body, ERROR_CODES.notSupported, `${this.kind} does not support ${JSON.stringify(body.type)}`);
    }
  }

  protected reply(ctx: NodeContext, dest: string, req: MessageBody, body: Record<string, unknown>): void {
    ctx.send(dest, { ...body, type: String(body.type), msg_id: this.nextMsgId++, in_reply_to: req.msg_id });
  }

  protected error(ctx: NodeContext, dest: string, req: MessageBody, code: number, text: string): void {
    this.reply(ctx, dest, req, { type: "error", code, text });
  }

  /** Applies a read, write or cas to `store`, answering the request. */
  protected apply(ctx: NodeContext, store: Store, src: string, body: MessageBody): void {
    const key = keyOf(body.key);
    switch (body.type) {
      case "read":
        if (!store.has(key)) return this.error(ctx, src, body, ERROR_CODES.keyDoesNotExist, "key does not exist");
        return this.reply(ctx, src, body, { type: "read_ok", value: store.get(key) });
      case "write":
        store.set(key, body.value ?? null);
        return this.reply(ctx, src, body, { type: "write_ok" });
      case "cas": {
        if (!store.has(key) && body.create_if_not_exists !== true) return this.error(ctx, src, body, ERROR_CODES.keyDoesNotExist, "key does not exist");
        const current = store.has(key) ? store.get(key) : undefined;
        if (store.has(key) && !equal(current, body.from)) {
          return this.error(ctx, src, body, ERROR_CODES.preconditionFailed, `expected ${JSON.stringify(body.from)}, but had ${JSON.stringify(current)}`);
        }
        store.set(key, body.to ?? null);
        return this.reply(ctx, src, body, { type: "cas_ok" });
      }
    }
  }

  protected abstract readonly kind: string;
  protected abstract handle(ctx: NodeContext, src: string, body: MessageBody): void;
  protected tick(_ctx: NodeContext, _label: string): void {}
}

/** One copy, changed only when a request arrives: every operation takes effect at one instant. */
export class LinKv extends KvService {
  protected readonly kind = "lin-kv";
  private readonly store: Store = new Map();
  protected handle(ctx: NodeContext, src: string, body: MessageBody): void {
    this.apply(ctx, this.store, src, body);
  }
}

/** Writes form one total order; a read may see an older state, but never one older than its client saw. */
export class SeqKv extends KvService {
  protected readonly kind = "seq-kv";
  /** Every state the store has been in, oldest first (bounded: older ones are forgotten). */
  private versions: Store[] = [new Map()];
  private base = 0;
  private readonly seen = new Map<string, number>();
  protected handle(ctx: NodeContext, src: string, body: MessageBody): void {
    const latest = this.base + this.versions.length - 1;
    const floor = Math.max(this.base, this.seen.get(src) ?? this.base);
    if (body.type === "read") {
      // Any state from the last one this client saw to the newest.
      const v = floor + Math.floor(ctx.random() * (latest - floor + 1));
      this.seen.set(src, v);
      return this.apply(ctx, this.versions[v - this.base]!, src, body);
    }
    const next = new Map(this.versions[this.versions.length - 1]!);
    this.apply(ctx, next, src, body);
    this.versions.push(next);
    if (this.versions.length > SEQ_KV_VERSIONS_KEPT) {
      this.versions.shift();
      this.base++;
    }
    this.seen.set(src, this.base + this.versions.length - 1);
  }
}

/** States seq-kv keeps for stale reads. */
export const SEQ_KV_VERSIONS_KEPT = 64;

/** Replicas lww-kv simulates; each request goes to one of them at random. */
export const LWW_KV_REPLICAS = 5;
/** How often lww-kv's replicas merge, in microseconds. */
export const LWW_KV_GOSSIP_US = 100_000;

/** Independent replicas, each answering from its own copy; they merge now and then, the latest write winning. */
export class LwwKv extends KvService {
  protected readonly kind = "lww-kv";
  private readonly replicas: Map<string, { value: unknown; ts: number }>[] = Array.from({ length: LWW_KV_REPLICAS }, () => new Map());
  private clock = 0;
  private gossiping = false;
  protected handle(ctx: NodeContext, src: string, body: MessageBody): void {
    if (!this.gossiping) {
      this.gossiping = true;
      ctx.setTimer(LWW_KV_GOSSIP_US, "gossip");
    }
    const replica = this.replicas[Math.floor(ctx.random() * LWW_KV_REPLICAS)]!;
    const view: Store = new Map([...replica].map(([k, v]) => [k, v.value]));
    this.apply(ctx, view, src, body);
    // A roughly synchronised timestamp: the local clock, made unique by a counter.
    const ts = Math.max(ctx.localTimeUs(), this.clock + 1);
    this.clock = ts;
    for (const [k, v] of view) if (!replica.has(k) || !equal(replica.get(k)!.value, v)) replica.set(k, { value: v, ts });
  }
  protected override stopTimers(): void {
    this.gossiping = false;
  }
  protected override tick(ctx: NodeContext): void {
    const merged = new Map<string, { value: unknown; ts: number }>();
    for (const r of this.replicas) for (const [k, v] of r) if (!merged.has(k) || merged.get(k)!.ts < v.ts) merged.set(k, v);
    for (const r of this.replicas) for (const [k, v] of merged) r.set(k, v);
    ctx.setTimer(LWW_KV_GOSSIP_US, "gossip");
  }
}

/** lin-tso: a linearizable timestamp oracle, one increasing integer per request. */
export class LinTso implements NodeBehavior {
  private next = 0;
  private nextMsgId = 0;
  start(): void {}
  crashed(): void {}
  timer(): void {}
  receive(ctx: NodeContext, src: string, body: MessageBody): void {
    if (typeof body.msg_id !== "number") return;
    const reply = body.type === "ts" ? { type: "ts_ok", ts: this.next++ } : { type: "error", code: ERROR_CODES.notSupported, text: `lin-tso does not support ${JSON.stringify(body.type)}` };
    ctx.send(src, { ...reply, msg_id: this.nextMsgId++, in_reply_to: body.msg_id });
  }
}

/** The service behind each of the reserved node ids. */
export function serviceBehavior(id: string): NodeBehavior {
  switch (id) {
    case "lin-kv":
      return new LinKv();
    case "seq-kv":
      return new SeqKv();
    case "lww-kv":
      return new LwwKv();
    default:
      return new LinTso();
  }
}
