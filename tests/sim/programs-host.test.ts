// The host reads each line a program writes as JSON.parse reads it: the library's own lines
// ({"src":…,"dest":…,"body":…} with plain ids) have only their body parsed, and every other line,
// valid or not, gives what parsing the whole line gives (the same message, or the same failure).
import { describe, expect, it } from "vitest";
import type { NodeContext, NodeError } from "@/server/sim/nodes/api";
import { INIT_SOURCE } from "@/server/sim/programs";
import { NodeIo } from "@/server/sim/programs/host";

function sent(line: string): { sends: [string, unknown][]; failure: NodeError | null } {
  const sends: [string, unknown][] = [];
  let failure: NodeError | null = null;
  const ctx = {
    id: "n1",
    send: (dest: string, body: unknown) => void sends.push([dest, body]),
    log: () => {},
    fail: (e: NodeError) => void (failure = e),
  } as unknown as NodeContext;
  const io = new NodeIo(() => ({ reason: "exception", message: "" }));
  io.begin(ctx);
  io.apply(`o${line.length + 1}:${line}\n`);
  io.end();
  return { sends, failure };
}

/** What parsing the whole line gives: the message sent, or none (an output failure). */
function reference(line: string): [string, unknown][] | "failure" {
  let m: { src?: unknown; dest?: unknown; body?: { type?: unknown } };
  try {
    m = JSON.parse(line);
  } catch {
    return "failure";
  }
  if (typeof m !== "object" || m === null || Array.isArray(m) || typeof m.src !== "string" || typeof m.dest !== "string") return "failure";
  const body = m.body;
  if (typeof body !== "object" || body === null || Array.isArray(body) || typeof body.type !== "string") return "failure";
  return m.dest === INIT_SOURCE ? [] : [[m.dest, body]];
}

describe("the host's reading of output lines", () => {
  it("gives what JSON.parse of the whole line gives", () => {
    const lines = [
      '{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":"hello, world","in_reply_to":1}}',
      '{"src":"n1","dest":"n2","body":{"type":"gossip","messages":[1,2,3],"nested":{"a":"}"}}}',
      '{"src":"n1","dest":"c1","body":{"type":"x"},"body":{"type":"second"}}',
      '{"src":"n1","dest":"c1","body":{"type":"x"},"dest":"c2"}',
      '{"src":"n1","dest":"c1","body":{"type":"x"},"extra":1}',
      '{"src":"n1","dest":"c1","body":{"type":"x"}} ',
      '{"src":"n1","dest":"c1","body":{"type":"x"}}}',
      '{"src":"n1","dest":"c1","body":{"type":"x"}',
      '{"src":"n1","dest":"c1","body":[{"type":"x"}]}',
      '{"src":"n1","dest":"c1","body":{"type":3}}',
      '{"src":"n1","dest":"c1","body":null}',
      '{"src":"n1","dest":"c1","body":"{}"}',
      '{"src":"n\\u0031","dest":"c\\"1","body":{"type":"x"}}',
      '{"src":"n1","dest":"c\\\\","body":{"type":"x"}}',
      '{"src":"n1","dest":"c\u00011","body":{"type":"x"}}',
      '{"src":"é","dest":"😀","body":{"type":"x","t":"\\ud800"}}',
      '{"src":"n1","dest":"","body":{"type":""}}',
      '{"src":"n1","dest":"faultline","body":{"type":"init_ok"}}',
      '{"src":"n1", "dest":"c1", "body":{"type":"x"}}',
      '{"dest":"c1","src":"n1","body":{"type":"x"}}',
      '{"src":"n1","dest":"c1","body":{"type":"x","__proto__":{"a":1}}}',
      '{"src":"n1","dest":"c1","body":{"type":"x","n":1e400,"m":-0}}',
      '{"src":"n1","dest":"c1","body":{"type":"x"},"src":"n9"}',
      '{"src":"n1","dest":"c1","body":',
      '{"src":"n1","dest":"c1","body":}',
      '{"src":"n1"}',
      "not json",
    ];
    for (const line of lines) {
      const got = sent(line);
      const want = reference(line);
      if (want === "failure") {
        expect(got.failure?.reason, line).toBe("output");
        expect(got.sends, line).toEqual([]);
      } else {
        expect(got.failure, line).toBeNull();
        expect(got.sends, line).toEqual(want);
        for (const [i, [, body]] of got.sends.entries()) expect(JSON.stringify(body), line).toBe(JSON.stringify(want[i]![1]));
      }
    }
  });
});
