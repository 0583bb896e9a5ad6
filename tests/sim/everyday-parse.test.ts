// Everyday parser bugs (issue 12): a missing `{` gives one clear problem at its line, not eight raw
// parser errors; `until: 0s` is refused at the field.

import { describe, expect, it } from "vitest";
import { parseScenarioText } from "../../server/sim";
import { unbalancedBracket } from "../../server/sim/scenario/syntax";

const journal = `version: 1
name: journal plz
until: 10s
nodes:
  - { id: C1, role: client }
  - { id: C2, role: server }
protocol:
  kind: request-response
  client: { timeout: 100ms, retries: 2 }
workload:
  - { client: C1, server: C2, op: read, key: journal, count: 1 }
faults:
  - { kind: drop, match: { from: C1, to: C2, type: request, nth: 1 } }
checks:
  - all-complete
`;

function problems(text: string) {
  const r = parseScenarioText(text);
  if (r.ok) throw new Error("expected problems");
  return r.problems;
}

describe("a missing {", () => {
  it("the journal scenario parses as it is", () => {
    expect(parseScenarioText(journal).ok).toBe(true);
  });

  it.each([
    ["a node", "  - { id: C1, role: client }", "  - id: C1, role: client }", 5],
    ["the workload", "  - { client: C1", "  - client: C1", 11],
    ["a fault", "  - { kind: drop", "  - kind: drop", 13],
    ["a fault's match", "match: { from", "match: from", 13],
    ["the client", "client: { timeout", "client: timeout", 9],
  ])("in %s gives one problem that names the stray } at its line", (_what, from, to, line) => {
    const ps = problems(journal.replace(from, to));
    expect(ps).toHaveLength(1);
    expect(ps[0]!.message).toMatch(/closes a `\{` that was never opened: is a `\{` missing/);
    expect(ps[0]!.line).toBe(line);
    expect(ps[0]!.path).toBe("");
  });

  it("in JSON points at where the reader stumbled and names the stray }", () => {
    const json = JSON.stringify({ version: 1, name: "x", nodes: [{ id: "C1" }, { id: "C2" }], protocol: { kind: "request-response" } }, null, 2);
    const broken = json.replace('    {\n      "id": "C2"', '      "id": "C2"');
    expect(broken).not.toBe(json);
    const ps = problems(broken);
    expect(ps).toHaveLength(1);
    expect(ps[0]!.message).toMatch(/^JSON\/YAML syntax: .*`\}` on line \d+ closes a `\{` that was never opened/);
  });

  it("an unclosed { is named where it opens", () => {
    const ps = problems(journal.replace("nth: 1 } }", "nth: 1 }"));
    expect(ps).toHaveLength(1);
    expect(ps[0]!.message).toMatch(/this `\{` is never closed: add its `\}`/);
    expect(ps[0]!.line).toBe(13);
  });

  it("brackets in quotes, comments and block text do not count", () => {
    expect(unbalancedBracket('a: "}"\nb: \'{\'\n# } here\nc: |\n  text with } and [\nd: { x: 1 }\n')).toBeNull();
    expect(unbalancedBracket("a: x }\n")).toMatchObject({ char: "}", kind: "stray", offset: 5 });
  });
});

describe("until", () => {
  it("0s is refused at the field; anything later is fine", () => {
    const ps = problems(journal.replace("until: 10s", "until: 0s"));
    expect(ps).toEqual([expect.objectContaining({ path: "until", line: 3, message: expect.stringMatching(/until must be more than 0s/) })]);
    expect(problems(journal.replace("until: 10s", "until: 0"))[0]!.path).toBe("until");
    expect(parseScenarioText(journal.replace("until: 10s", "until: 1us")).ok).toBe(true);
  });
});
