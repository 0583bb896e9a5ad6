// The sandbox's fast entry-point call gives the guest exactly what quickjs-emscripten's
// callFunction gives it (text, including non-ASCII and lone surrogates, and the number), returns
// the guest's string, and hands back what the guest threw.
import { describe, expect, it } from "vitest";
import { newQuickJSWASMModuleFromVariant } from "quickjs-emscripten-core";
import releaseSync from "@jitl/quickjs-wasmfile-release-sync";
import { FastCaller } from "@/server/sim/programs/fast-call";

describe("FastCaller", () => {
  it("passes strings and numbers as callFunction does, through buffer growth, and returns thrown values", async () => {
    const qjs = await newQuickJSWASMModuleFromVariant(releaseSync);
    const ctx = qjs.newContext();
    const fn = ctx.unwrapResult(
      ctx.evalCode(`(function (s, n) {
        if (s === "throw") throw new Error("thrown " + n);
        var codes = [];
        for (var i = 0; i < s.length; i++) codes.push(s.charCodeAt(i));
        return s.length + ":" + codes.join(",").slice(0, 200) + ":" + n;
      })`),
    );
    const caller = new FastCaller(ctx);
    const texts = ["", "{\"a\":1}", "é ü ß", "😀 emoji", "lone \ud800 surrogate", "x".repeat(5000) + "é", "y".repeat(20)];
    for (const text of texts) {
      const s = ctx.newString(text);
      const n = ctx.newNumber(12.5);
      const expected = ctx.getString(ctx.unwrapResult(ctx.callFunction(fn, ctx.undefined, s, n)));
      s.dispose();
      n.dispose();
      const got = caller.call(fn, text, 12.5);
      expect(got.error).toBeUndefined();
      expect(got.value).toBe(expected);
      expect(got.value!.startsWith(`${text.length}:`)).toBe(true);
    }
    // Several strings in one call (a message: source, destination, body), well-formed or not.
    const three = ctx.unwrapResult(ctx.evalCode(`(function (a, b, c, n) { return [a, b, c].map(function (s) { return s.length + "/" + s.charCodeAt(s.length - 1); }).join(" ") + " " + n; })`));
    for (const parts of [["c1", "n1", "{\"type\":\"echo\"}"], ["é", "lone \ud800", "y".repeat(3000)], ["a", "b", "c"]]) {
      const expected = parts.map((p) => `${p.length}/${p.charCodeAt(p.length - 1)}`).join(" ") + " 3.5";
      expect(caller.callWith(three, parts, 3.5).value).toBe(expected);
    }
    // Node ids kept as the interpreter's values (the first `kept` strings): the same text reaches
    // the guest every time, past the number kept, and for ids that are not well-formed.
    const ids = Array.from({ length: 80 }, (_, i) => `n${i}`).concat(["é", "lone \ud800", "z".repeat(100)]);
    for (let round = 0; round < 2; round++) {
      for (const id of ids) {
        const parts = [id, "n1", "{\"type\":\"echo\"}"];
        const expected = parts.map((p) => `${p.length}/${p.charCodeAt(p.length - 1)}`).join(" ") + " 2";
        expect(caller.callWith(three, parts, 2, 2).value).toBe(expected);
      }
    }
    three.dispose();
    // Two numbers (a timer's id and the time), as newNumber makes them.
    const two = ctx.unwrapResult(ctx.evalCode(`(function (a, n) { return typeof a + " " + Object.is(a, -0) + " " + a + " " + n; })`));
    for (const [a, n] of [[3, 12.5], [-0, 0], [2 ** 40 + 0.5, NaN], [Infinity, -1]] as const) {
      const ha = ctx.newNumber(a);
      const hn = ctx.newNumber(n);
      const expected = ctx.getString(ctx.unwrapResult(ctx.callFunction(two, ctx.undefined, ha, hn)));
      ha.dispose();
      hn.dispose();
      expect(caller.callNumbers(two, a, n).value).toBe(expected);
    }
    two.dispose();
    const thrown = caller.call(fn, "throw", 7);
    expect(thrown.value).toBeUndefined();
    expect(ctx.getString(ctx.getProp(thrown.error!, "message"))).toBe("thrown 7");
    thrown.error!.dispose();
    caller.dispose();
    fn.dispose();
    ctx.dispose();
  });
});
