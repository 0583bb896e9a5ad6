// Message types by number, so a fault's `match.type` and a message's type compare as integers on
// the hot path. Request-response has two fixed types; a run of nodes numbers each body `type`
// as it first appears (a fault naming a type no message has never matches).

export interface MessageTypes {
  /** The number of a type name, assigning one when `create` and the name is new; -1 when unknown. */
  id(name: string, create: boolean): number;
}

/** request = 0, response = 1: the numbers request-response's trace stores. */
export const REQUEST_RESPONSE_TYPES: MessageTypes = {
  id: (name) => (name === "request" ? 0 : name === "response" ? 1 : -1),
};

export class MessageTypeRegistry implements MessageTypes {
  private readonly ids = new Map<string, number>();

  id(name: string, create: boolean): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      if (!create) return -1;
      id = this.ids.size;
      this.ids.set(name, id);
    }
    return id;
  }
}
