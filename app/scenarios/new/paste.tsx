"use client";
// Paste (or type) a whole scenario; it is checked as you type and created as version 1.
import { useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";
import { ScenarioEditor, ProblemList } from "@/app/_components/scenario-editor";
import { checkScenario } from "@/server/scenarios/validate";

const STARTER = `version: 1
name: my scenario
nodes:
  - { id: C1, role: client }
  - { id: C2, role: server }
protocol:
  kind: request-response
workload:
  - { client: C1, server: C2, op: read, key: journal, count: 1 }
checks:
  - all-complete
`;

export function PasteScenario() {
  const trpc = useTRPC();
  const router = useRouter();
  const [source, setSource] = useState(STARTER);
  const [focus, setFocus] = useState<{ line?: number; column?: number; nonce: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const checked = useMemo(() => checkScenario(source), [source]);
  const problems = checked.ok ? [] : checked.problems;
  const create = useMutation(trpc.scenario.create.mutationOptions());
  return (
    <div className="panel">
      <ScenarioEditor value={source} onChange={setSource} problems={problems} focus={focus} />
      <ProblemList problems={problems} onSelect={(p) => setFocus({ line: p.line, column: p.column, nonce: Date.now() })} />
      <div className="row" style={{ marginTop: "0.75rem" }}>
        <button
          type="button"
          className="primary"
          disabled={problems.length > 0 || create.isPending}
          onClick={async () => {
            setError(null);
            try {
              const created = await create.mutateAsync({ source });
              router.push(`/scenarios/${created.id}`);
            } catch (err) {
              setError(apiError(err).message);
            }
          }}
        >
          Create scenario
        </button>
        <span className={`status-line ${problems.length ? "bad" : "ok"}`} data-testid="validity">
          {problems.length ? `✗ ${problems.length} problem${problems.length > 1 ? "s" : ""}` : "✓ valid scenario"}
        </span>
      </div>
      {error ? <div className="alert error" role="alert">{error}</div> : null}
    </div>
  );
}
