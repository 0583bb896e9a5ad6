// Request-response's own trace tables: the requests clients issue and the messages that carry them
// (with the values responses carry), written by the protocol as it runs and exported with the trace.

import * as Grow from "../../engine/grow";

const grow = Grow.grow;
const view = Grow.view;
const columns = Grow.columns;

/** The tables a request-response trace adds to the event columns. */
export interface RequestResponseTables {
  requests: {
    count: number;
    client: Uint16Array;
    server: Uint16Array;
    op: Uint8Array;
    key: Int32Array;
    value: Int32Array;
    /** Workload entry index, or -1 for a server's downstream call. */
    workload: Int32Array;
    /** For a downstream call: the request being served when it was made; else -1. */
    parent: Int32Array;
    /** Index of the request's issue event. */
    issue: Int32Array;
  };
  messages: {
    count: number;
    from: Uint16Array;
    to: Uint16Array;
    type: Uint8Array;
    request: Int32Array;
    attempt: Uint16Array;
    /** What the message carries (responses); -1 null. */
    value: Int32Array;
    /** What the server's true state gave (responses); -1 null. */
    trueValue: Int32Array;
    /** Byzantine behavior that shaped this response, or -1. */
    byzantine: Int8Array;
    /** The byzantine fault's index, or -1. */
    byzantineFault: Int16Array;
    /** Index of the send event. */
    send: Int32Array;
  };
}

/** Request table shared by the protocol (which writes it) and the trace (which exports it). */
export class RequestTable {
  count = 0;
  client: Uint16Array;
  server: Uint16Array;
  op: Uint8Array;
  key: Int32Array;
  value: Int32Array;
  workload: Int32Array;
  parent: Int32Array;
  issue: Int32Array;

  constructor(capacity = 1024) {
    [this.key, this.value, this.workload, this.parent, this.issue, this.client, this.server, this.op] = columns(capacity, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Uint16Array, Uint16Array, Uint8Array);
  }

  add(client: number, server: number, op: number, key: number, value: number, workload: number, parent: number): number {
    const i = this.count++;
    if (i === this.client.length) {
      const n = i * 2;
      this.client = grow(this.client, n);
      this.server = grow(this.server, n);
      this.op = grow(this.op, n);
      this.key = grow(this.key, n);
      this.value = grow(this.value, n);
      this.workload = grow(this.workload, n);
      this.parent = grow(this.parent, n);
      this.issue = grow(this.issue, n);
    }
    this.client[i] = client;
    this.server[i] = server;
    this.op[i] = op;
    this.key[i] = key;
    this.value[i] = value;
    this.workload[i] = workload;
    this.parent[i] = parent;
    return i;
  }

  export(): RequestResponseTables["requests"] {
    const n = this.count;
    return {
      count: n,
      client: view(this.client, n),
      server: view(this.server, n),
      op: view(this.op, n),
      key: view(this.key, n),
      value: view(this.value, n),
      workload: view(this.workload, n),
      parent: view(this.parent, n),
      issue: view(this.issue, n),
    };
  }
}

export class MessageTable {
  count = 0;
  from: Uint16Array;
  to: Uint16Array;
  type: Uint8Array;
  request: Int32Array;
  attempt: Uint16Array;
  value: Int32Array;
  trueValue: Int32Array;
  byzantine: Int8Array;
  byzantineFault: Int16Array;
  send: Int32Array;

  constructor(capacity = 1024) {
    [this.request, this.value, this.trueValue, this.send, this.from, this.to, this.attempt, this.byzantineFault, this.type, this.byzantine] = columns(
      capacity,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Uint16Array,
      Uint16Array,
      Uint16Array,
      Int16Array,
      Uint8Array,
      Int8Array,
    );
  }

  private next(): number {
    const i = this.count++;
    if (i === this.from.length) {
      const n = i * 2;
      this.from = grow(this.from, n);
      this.to = grow(this.to, n);
      this.type = grow(this.type, n);
      this.request = grow(this.request, n);
      this.attempt = grow(this.attempt, n);
      this.value = grow(this.value, n);
      this.trueValue = grow(this.trueValue, n);
      this.byzantine = grow(this.byzantine, n);
      this.byzantineFault = grow(this.byzantineFault, n);
      this.send = grow(this.send, n);
    }
    return i;
  }

  /** A request message (value columns are left as they are: they mean nothing for requests). */
  addRequest(from: number, to: number, request: number, attempt: number): number {
    const i = this.next();
    this.from[i] = from;
    this.to[i] = to;
    this.type[i] = 0;
    this.request[i] = request;
    this.attempt[i] = attempt;
    return i;
  }

  addResponse(from: number, to: number, request: number, attempt: number, value: number, trueValue: number, byz: number, byzFault: number): number {
    const i = this.next();
    this.from[i] = from;
    this.to[i] = to;
    this.type[i] = 1;
    this.request[i] = request;
    this.attempt[i] = attempt;
    this.value[i] = value;
    this.trueValue[i] = trueValue;
    this.byzantine[i] = byz;
    this.byzantineFault[i] = byzFault;
    return i;
  }

  export(): RequestResponseTables["messages"] {
    const n = this.count;
    return {
      count: n,
      from: view(this.from, n),
      to: view(this.to, n),
      type: view(this.type, n),
      request: view(this.request, n),
      attempt: view(this.attempt, n),
      value: view(this.value, n),
      trueValue: view(this.trueValue, n),
      byzantine: view(this.byzantine, n),
      byzantineFault: view(this.byzantineFault, n),
      send: view(this.send, n),
    };
  }
}

