// The trace tables of a run of nodes: messages with their JSON bodies, the workload's operations
// (the history checkers read) and protocol notes. Rows are written as the run goes; bodies, inputs,
// outputs and fields are JSON text in the trace's string table.

import * as Grow from "../engine/grow";

const grow = Grow.grow;
const view = Grow.view;

export interface NodeTables {
  messages: {
    count: number;
    from: Uint16Array;
    to: Uint16Array;
    /** String id of the body's `type`. */
    type: Int32Array;
    /** String id of the body as JSON text. */
    body: Int32Array;
    /** Index of the send event. */
    send: Int32Array;
  };
  /** Client operations: the history. */
  ops: {
    count: number;
    client: Uint16Array;
    /** The node the client sent the operation to. */
    node: Uint16Array;
    /** Event index of the invocation, and of the completion (-1: still pending when the run stopped). */
    invoke: Int32Array;
    complete: Int32Array;
    /** String ids of the input and the output (JSON; -1 none). */
    input: Int32Array;
    output: Int32Array;
    /** OUTCOME_OK, _FAIL, _INFO, or -1 pending. */
    outcome: Int8Array;
  };
  notes: {
    count: number;
    /** String id of the note's name ("role", "term", "commit", ...). */
    name: Int32Array;
    /** String id of its fields as a JSON object. */
    fields: Int32Array;
  };
}

/** Messages as the transport and the node runtime share them. */
export class NodeMessageTable {
  count = 0;
  from = new Uint16Array(1024);
  to = new Uint16Array(1024);
  type = new Int32Array(1024);
  body = new Int32Array(1024);
  send = new Int32Array(1024);
  /** The parsed body of each message, kept while the run lasts (not part of the trace). */
  readonly bodies: unknown[] = [];

  add(from: number, to: number, type: number, body: number, parsed: unknown): number {
    const i = this.count++;
    if (i === this.from.length) {
      const n = i * 2;
      this.from = grow(this.from, n);
      this.to = grow(this.to, n);
      this.type = grow(this.type, n);
      this.body = grow(this.body, n);
      this.send = grow(this.send, n);
    }
    this.from[i] = from;
    this.to[i] = to;
    this.type[i] = type;
    this.body[i] = body;
    this.bodies.push(parsed);
    return i;
  }

  export(): NodeTables["messages"] {
    const n = this.count;
    return { count: n, from: view(this.from, n), to: view(this.to, n), type: view(this.type, n), body: view(this.body, n), send: view(this.send, n) };
  }
}

export class OperationTable {
  count = 0;
  client = new Uint16Array(256);
  node = new Uint16Array(256);
  invoke = new Int32Array(256);
  complete = new Int32Array(256);
  input = new Int32Array(256);
  output = new Int32Array(256);
  outcome = new Int8Array(256);

  add(client: number, node: number, invoke: number, input: number): number {
    const i = this.count++;
    if (i === this.client.length) {
      const n = i * 2;
      this.client = grow(this.client, n);
      this.node = grow(this.node, n);
      this.invoke = grow(this.invoke, n);
      this.complete = grow(this.complete, n);
      this.input = grow(this.input, n);
      this.output = grow(this.output, n);
      this.outcome = grow(this.outcome, n);
    }
    this.client[i] = client;
    this.node[i] = node;
    this.invoke[i] = invoke;
    this.complete[i] = -1;
    this.input[i] = input;
    this.output[i] = -1;
    this.outcome[i] = -1;
    return i;
  }

  export(): NodeTables["ops"] {
    const n = this.count;
    return {
      count: n,
      client: view(this.client, n),
      node: view(this.node, n),
      invoke: view(this.invoke, n),
      complete: view(this.complete, n),
      input: view(this.input, n),
      output: view(this.output, n),
      outcome: view(this.outcome, n),
    };
  }
}

export class NoteTable {
  count = 0;
  name = new Int32Array(256);
  fields = new Int32Array(256);

  add(name: number, fields: number): number {
    const i = this.count++;
    if (i === this.name.length) {
      this.name = grow(this.name, i * 2);
      this.fields = grow(this.fields, i * 2);
    }
    this.name[i] = name;
    this.fields[i] = fields;
    return i;
  }

  export(): NodeTables["notes"] {
    const n = this.count;
    return { count: n, name: view(this.name, n), fields: view(this.fields, n) };
  }
}
