// The scenario format reference, in the app: docs/scenario-format.md rendered as a page,
// so people writing scenarios have it one click from the editor.
import type { Metadata } from "next";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Markdown } from "@/app/_components/markdown";
import { formatReferenceForWeb } from "./web-text";

export const metadata: Metadata = { title: "Scenario format", description: "How to write Faultline scenarios: nodes, network, protocol, workload, faults and checks." };

export default function FormatPage() {
  const text = readFileSync(path.join(process.cwd(), "docs", "scenario-format.md"), "utf8");
  return (
    <div className="panel" style={{ maxWidth: 980 }} data-testid="format-reference">
      <Markdown text={formatReferenceForWeb(text)} />
    </div>
  );
}
