// Where JSON text stops being valid JSON, for messages with a line and column: JSON.parse says
// what went wrong but, depending on the engine version, not always where. Iterative: no deep recursion.

/** The offset of the first character that makes `text` invalid JSON (text.length: it ended too soon), or -1 when it is valid. */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const n = text.length;
  // What the parser expects next, per open container: "value", "key", "colon", "comma" (or close).
  const stack: ("array" | "object")[] = [];
  let expect: "value" | "key" | "colon" | "comma" | "first-value" | "first-key" = "value";
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const string = (): boolean => {
    i++; // the opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return false;
      } else i++;
    }
    return false;
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const afterValue = () => {
    expect = stack.length === 0 ? "value" : "comma";
  };
  let done = false;
  for (;;) {
    ws();
    if (done) return i === n ? -1 : i;
    if (i >= n) return n;
    const c = text[i]!;
    if (expect === "value" || expect === "first-value") {
      if (c === "]" && expect === "first-value") {
        i++;
        stack.pop();
        afterValue();
      } else if (c === "{") {
        i++;
        stack.push("object");
        expect = "first-key";
      } else if (c === "[") {
        i++;
        stack.push("array");
        expect = "first-value";
      } else if (c === '"') {
        if (!string()) return Math.min(i, n);
        afterValue();
      } else if (text.startsWith("true", i) || text.startsWith("null", i)) {
        i += 4;
        afterValue();
      } else if (text.startsWith("false", i)) {
        i += 5;
        afterValue();
      } else {
        NUMBER.lastIndex = i;
        const m = NUMBER.exec(text);
        if (!m) return i;
        i += m[0].length;
        afterValue();
      }
    } else if (expect === "key" || expect === "first-key") {
      if (c === "}" && expect === "first-key") {
        i++;
        stack.pop();
        afterValue();
      } else if (c === '"') {
        if (!string()) return Math.min(i, n);
        expect = "colon";
      } else return i;
    } else if (expect === "colon") {
      if (c !== ":") return i;
      i++;
      expect = "value";
    } else {
      const top = stack[stack.length - 1];
      if (c === ",") {
        i++;
        expect = top === "object" ? "key" : "value";
      } else if ((c === "]" && top === "array") || (c === "}" && top === "object")) {
        i++;
        stack.pop();
        afterValue();
      } else return i;
    }
    if (stack.length === 0 && expect === "value") done = true;
  }
}
