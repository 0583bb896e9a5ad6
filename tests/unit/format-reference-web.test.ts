// /help/format is docs/scenario-format.md for web users: it may not send them to repository paths.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatReferenceForWeb } from "@/app/help/format/web-text";

const doc = readFileSync(path.join(__dirname, "../../docs/scenario-format.md"), "utf8");

describe("the format reference in the app", () => {
  const web = formatReferenceForWeb(doc);
  it("has no repository paths left", () => {
    expect(web).not.toMatch(/\.\.\/shared/);
    expect(web).not.toMatch(/`docs\//);
    expect(web).not.toMatch(/\b0\d-[a-z-]+\.yaml/);
    expect(web).not.toMatch(/\]\([^)]*\.md[)#]/);
  });
  it("links each slide scenario to its template in the app", () => {
    expect(web).toContain("The [templates](/templates) show");
    expect(web).toContain("[request lost](/templates#template-request-lost)");
    expect(web).toContain("[lossy network sweep](/templates#template-lossy-retries)");
    expect(web.match(/\]\(\/templates#template-/g)).toHaveLength(9);
  });
  it("keeps the reference itself", () => {
    expect(web).toContain("## Checks");
    expect(web).toContain("(format version 1). The editor checks a scenario against it as you type.");
  });
});
