"use client";
// The scenario workbench: edit (text or form) with live checking, save a new version,
// start a run or a sweep, see this scenario's runs update live, and share or fork.
import { useMemo, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";
import { ScenarioEditor, ProblemList } from "@/app/_components/scenario-editor";
import { ScenarioForm } from "@/app/_components/scenario-form";
import { ScenarioPreview } from "@/app/_components/preview/scenario-preview";
import { StatusBadge } from "@/app/_components/badges";
import { SharePanel } from "@/app/_components/share-panel";
import { formatDate } from "@/app/_components/format";
import { SubmitToAssignment } from "@/app/courses/_components/submit-to-assignment";
import { ExploreControl } from "./explore-control";
import { checkScenario, SWEEP_SEEDS_MAX, type ScenarioProblemView } from "@/server/scenarios/validate";
import { forkIntoProgram, programFilesOf, setProgramFile, deleteProgramFile } from "@/server/scenarios/program-files";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type ScenarioView = inferRouterOutputs<AppRouter>["scenario"]["byId"];

export function ScenarioWorkbench({ scenario, signedIn, token }: { scenario: ScenarioView; signedIn: boolean; token: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const isOwner = scenario.isOwner;
  const isLatest = scenario.version.number === scenario.latestVersion;
  const [source, setSource] = useState(scenario.version.source);
  /** "text", "form", or "file:<name>" for one of a program's files. */
  const [tab, setTab] = useState<string>("text");
  const [focus, setFocus] = useState<{ line?: number; column?: number; nonce: number } | null>(null);
  const [serverProblems, setServerProblems] = useState<ScenarioProblemView[] | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [seed, setSeed] = useState("");
  const [sweepSeeds, setSweepSeeds] = useState("100");
  const [runError, setRunError] = useState<string | null>(null);

  const checked = useMemo(() => checkScenario(source), [source]);
  const problems = serverProblems ?? (checked.ok ? [] : checked.problems);
  const program = useMemo(() => programFilesOf(source), [source]);
  const openFile = tab.startsWith("file:") ? tab.slice("file:".length) : null;
  const fileText = openFile !== null ? (program?.files.find(([n]) => n === openFile)?.[1] ?? null) : null;
  const builtin = checked.ok && checked.scenario.protocol.kind !== "request-response" && checked.scenario.protocol.kind !== "custom" ? checked.scenario.protocol.kind : null;
  /** A file's problems, placed at their line in the file. */
  const fileProblems = (name: string): ScenarioProblemView[] =>
    problems.filter((p) => p.file === name).map((p) => ({ path: p.path, message: p.message, line: p.fileLine, column: p.fileColumn }));
  const dirty = source !== scenario.version.source;

  const save = useMutation(trpc.scenario.saveVersion.mutationOptions());
  const createRun = useMutation(trpc.run.create.mutationOptions());
  const fork = useMutation(trpc.scenario.fork.mutationOptions());
  const runs = useQuery({
    ...trpc.run.list.queryOptions({ scenarioId: scenario.id, pageSize: 10 }),
    enabled: isOwner,
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === "queued" || r.status === "running") ? 1000 : false),
  });

  async function onSave() {
    setSaveError(null);
    setServerProblems(null);
    try {
      const res = await save.mutateAsync({ id: scenario.id, source, baseVersion: isLatest ? scenario.latestVersion : undefined });
      router.replace(`/scenarios/${scenario.id}`);
      router.refresh();
      return res;
    } catch (err) {
      const view = apiError(err);
      if (view.scenarioProblems) setServerProblems(view.scenarioProblems);
      setSaveError(view.message);
    }
  }

  async function onRun(kind: "single" | "sweep") {
    setRunError(null);
    const seedNumber = seed.trim() === "" ? undefined : Number(seed);
    if (seedNumber !== undefined && (!Number.isInteger(seedNumber) || seedNumber < 0 || seedNumber > 0xffffffff)) {
      setRunError("The seed is a whole number from 0 to 4294967295.");
      return;
    }
    const seeds = Number(sweepSeeds);
    if (kind === "sweep" && (!Number.isInteger(seeds) || seeds < 2 || seeds > SWEEP_SEEDS_MAX)) {
      setRunError(`A sweep has from 2 to ${SWEEP_SEEDS_MAX} seeds.`);
      return;
    }
    try {
      const run = await createRun.mutateAsync({
        scenarioId: scenario.id,
        version: scenario.version.number,
        seed: seedNumber,
        ...(kind === "sweep" ? { sweep: { seeds } } : {}),
      });
      router.push(`/runs/${run.id}`);
    } catch (err) {
      setRunError(apiError(err).message);
    }
  }

  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            {isOwner ? <Link href="/scenarios">My scenarios</Link> : <>Shared by {scenario.owner.name}</>} /
          </div>
          <h1 data-testid="scenario-name">{scenario.name}</h1>
          <p className="sub">
            Version {scenario.version.number} of {scenario.latestVersion}
            {!isLatest ? <> · <Link href={`/scenarios/${scenario.id}${token ? `?key=${token}` : ""}`}>go to the latest</Link></> : null}
            {" · "}saved {formatDate(scenario.version.createdAt)}
            {scenario.faultKinds.length ? <> · faults: {scenario.faultKinds.map((k) => <span key={k} className="tag">{k}</span>)}</> : null}
          </p>
        </div>
        <div className="row">
          {!isOwner && signedIn ? (
            <button
              type="button"
              className="primary"
              disabled={fork.isPending}
              onClick={async () => {
                const created = await fork.mutateAsync({ id: scenario.id, token: token ?? undefined, version: scenario.version.number });
                router.push(`/scenarios/${created.id}`);
              }}
            >
              Fork into my account
            </button>
          ) : null}
          {!isOwner && !signedIn ? <Link className="button" href={`/signin?callbackUrl=${encodeURIComponent(`/scenarios/${scenario.id}${token ? `?key=${token}` : ""}`)}`}>Sign in to fork</Link> : null}
          <a className="button" href={`/api/scenarios/${scenario.id}/source?version=${scenario.version.number}${token ? `&key=${token}` : ""}`} download>Download YAML</a>
        </div>
      </div>

      <div className="split">
        <div className="panel">
          <div className="tabs" role="tablist">
            <button role="tab" aria-selected={tab === "text"} onClick={() => setTab("text")}>Text</button>
            <button role="tab" aria-selected={tab === "form"} onClick={() => setTab("form")}>Form</button>
            {program?.files.map(([name]) => (
              <button key={name} role="tab" aria-selected={tab === `file:${name}`} onClick={() => setTab(`file:${name}`)} data-testid={`file-tab-${name}`} className={fileProblems(name).length ? "tab-bad" : undefined}>
                {name}
                {name === program.main ? <span className="muted small"> (main)</span> : null}
              </button>
            ))}
            {program && isOwner ? (
              <button
                type="button"
                className="small"
                title="Add a file to the program"
                onClick={() => {
                  const name = window.prompt("File name (ending in .js or .ts)", "util.js");
                  if (!name) return;
                  setSource(setProgramFile(source, name.trim(), ""));
                  setTab(`file:${name.trim()}`);
                }}
              >
                + file
              </button>
            ) : null}
            <span className="spacer" />
            <Link href="/help/format" target="_blank" className="small" style={{ alignSelf: "center", marginRight: "0.75rem" }}>Format reference ↗</Link>
            <span className={`status-line ${problems.length ? "bad" : "ok"}`} data-testid="validity" style={{ alignSelf: "center" }}>
              {problems.length ? `✗ ${problems.length} problem${problems.length > 1 ? "s" : ""}` : "✓ valid scenario"}
            </span>
          </div>
          <div hidden={tab !== "text"}>
            <ScenarioEditor
              value={source}
              onChange={(s) => {
                setSource(s);
                setServerProblems(null);
              }}
              problems={problems}
              readOnly={!isOwner}
              focus={focus}
            />
            <ProblemList problems={problems} onSelect={(p) => setFocus({ line: p.line, column: p.column, nonce: Date.now() })} />
          </div>
          {tab === "form" ? <ScenarioForm source={source} onChange={setSource} problems={problems} readOnly={!isOwner} /> : null}
          {openFile !== null && fileText !== null ? (
            <div>
              <ScenarioEditor
                key={openFile}
                value={fileText}
                onChange={(text) => {
                  setSource(setProgramFile(source, openFile, text));
                  setServerProblems(null);
                }}
                problems={fileProblems(openFile)}
                readOnly={!isOwner}
                label={`Program file ${openFile}`}
                language={openFile.endsWith(".ts") ? "typescript" : "javascript"}
                testId="file-editor"
              />
              <ProblemList problems={fileProblems(openFile)} />
              {isOwner && openFile !== program?.main ? (
                <button type="button" className="small" onClick={() => { setSource(deleteProgramFile(source, openFile)); setTab("text"); }}>
                  Delete {openFile}
                </button>
              ) : null}
            </div>
          ) : null}
          {builtin && isOwner ? (
            <div className="alert info small" data-testid="fork-program">
              This scenario runs the built-in <strong>{builtin}</strong> protocol.{" "}
              <button type="button" className="small" onClick={() => { const forked = forkIntoProgram(source); if (forked) { setSource(forked); setTab("text"); } }}>
                Make this my program
              </button>{" "}
              turns it into a program of the protocol&apos;s own files, yours to edit; under the same seed it runs to the same result.
            </div>
          ) : null}
          {isOwner ? (
            <div className="row" style={{ marginTop: "0.75rem" }}>
              <button type="button" className="primary" disabled={!dirty || problems.length > 0 || save.isPending} onClick={() => void onSave()}>
                {save.isPending ? "Saving…" : isLatest ? `Save as version ${scenario.latestVersion + 1}` : `Save as version ${scenario.latestVersion + 1} (from v${scenario.version.number})`}
              </button>
              {dirty ? (
                <button type="button" onClick={() => { setSource(scenario.version.source); setServerProblems(null); }}>Discard changes</button>
              ) : null}
              <span className="status-line">{dirty ? "Unsaved changes. Saving keeps every earlier version." : "Saved."}</span>
              {saveError ? <div className="alert error" role="alert" style={{ width: "100%" }}>{saveError}</div> : null}
            </div>
          ) : null}
          {isOwner ? <ScenarioPreview source={source} /> : null}
        </div>

        <aside className="stack">
          {isOwner && signedIn ? <SubmitToAssignment scenarioId={scenario.id} version={scenario.version.number} dirty={dirty} editing={checked.ok ? checked.scenario : null} /> : null}
          {isOwner ? (
            <div className="panel" data-testid="run-panel">
              <h3>Run version {scenario.version.number}</h3>
              {dirty ? <div className="alert warn small">Runs use the saved version. Save your changes to run them.</div> : null}
              <div className="field">
                <label htmlFor="seed">Seed <span className="hint">(empty: the scenario&apos;s seed)</span></label>
                <input id="seed" type="number" min={0} value={seed} onChange={(e) => setSeed(e.target.value)} placeholder="default" />
              </div>
              <button type="button" className="primary" disabled={createRun.isPending} onClick={() => void onRun("single")}>Run</button>
              <hr />
              <div className="field">
                <label htmlFor="sweep-seeds">Sweep: seeds <span className="hint">(from the seed above)</span></label>
                <input id="sweep-seeds" type="number" min={2} max={SWEEP_SEEDS_MAX} value={sweepSeeds} onChange={(e) => setSweepSeeds(e.target.value)} />
              </div>
              <div className="row">
                <button type="button" disabled={createRun.isPending} onClick={() => void onRun("sweep")}>Run sweep</button>
                <Link className="button" href={`/curves?scenario=${scenario.id}`} data-testid="curve-link" title="A sweep per value of a parameter, drawn as a curve">Curve…</Link>
                {/ · curve over /.test(scenario.name) ? <Link className="small" href={`/curves/${scenario.id}`}>This curve →</Link> : null}
              </div>
              {runError ? <div className="alert error" role="alert">{runError}</div> : null}
            </div>
          ) : null}
          {isOwner ? <ExploreControl scenarioId={scenario.id} version={scenario.version.number} isProgram={scenario.protocol === "custom"} /> : null}

          {isOwner ? (
            <div className="panel">
              <h3>Runs</h3>
              {runs.data?.items.length ? (
                <ul className="verdicts">
                  {runs.data.items.map((r) => (
                    <li key={r.id}>
                      <Link href={`/runs/${r.id}`}>{r.kind === "sweep" ? `sweep ×${r.seedCount}` : r.kind === "explore" ? "exploration" : r.kind === "curve" ? `curve ×${r.seedCount}` : `seed ${r.seed}`}</Link>
                      <span className="muted small">v{r.version.number}</span>
                      <span className="spacer" />
                      <StatusBadge status={r.status} verdict={r.verdict} />
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted small">No runs yet.</p>
              )}
              <Link className="small" href={`/runs?scenario=${scenario.id}`}>All runs of this scenario →</Link>
            </div>
          ) : null}

          <div className="panel">
            <h3>Versions</h3>
            <ul className="verdicts">
              {scenario.versions.map((v) => (
                <li key={v.number}>
                  <Link href={`/scenarios/${scenario.id}?v=${v.number}${token ? `&key=${token}` : ""}`} aria-current={v.number === scenario.version.number ? "page" : undefined}>
                    v{v.number}
                  </Link>
                  <span className="muted small">{formatDate(v.createdAt)}</span>
                  {v.shrunkFromRunId ? (
                    <Link className="small" href={`/runs/${v.shrunkFromRunId}`} data-testid={`shrunk-from-${v.number}`}>{v.note.startsWith("found by exploring") ? v.note : `shrunk from run ${v.shrunkFromRunId}`}</Link>
                  ) : v.note ? <span className="small">{v.note}</span> : null}
                </li>
              ))}
            </ul>
          </div>

          {isOwner ? <SharePanel kind="scenario" id={scenario.id} visibility={scenario.visibility} shareToken={scenario.shareToken} locked={scenario.sharingLocked} /> : null}
        </aside>
      </div>
    </>
  );
}
