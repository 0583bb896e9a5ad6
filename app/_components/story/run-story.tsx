"use client";
// "What happened": the run's narrative (app/_components/results/narrative.ts), each sentence a
// button that selects the event it speaks of, beside the scenario's own description (Markdown).
import { useMemo } from "react";
import type { Trace } from "@/server/sim/trace/trace";
import type { CheckResult } from "@/server/sim/checkers/result";
import { buildNarrative, type NarrativeFault } from "@/app/_components/results/narrative";
import { Markdown } from "@/app/_components/markdown";

export function RunStory({ trace, checks, faults, description, selected, onSelect, onLoad, compact = false }: {
  /** Null while the trace loads: the description shows at once, the story when it can be told. */
  trace: Trace | null;
  checks: readonly CheckResult[];
  /** The run's fault rules (scenario-text.ts scenarioFaults): slow nodes and clock faults are told from them. */
  faults?: readonly NarrativeFault[];
  description: string;
  selected: number;
  onSelect: (i: number) => void;
  /** Given while a large run's trace waits to be asked for: the story offers to load it. */
  onLoad?: () => void;
  /** The embedded player: no description column, a smaller heading. */
  compact?: boolean;
}) {
  const narrative = useMemo(() => (trace ? buildNarrative(trace, checks, faults) : null), [trace, checks, faults]);
  const story = (
    <div data-testid="narrative">
      {compact ? null : <h2>What happened</h2>}
      {narrative ? (
        <p className="narrative" aria-label="What happened, sentence by sentence">
          {narrative.sentences.map((s, k) => {
            const tone = s.fails ? " fails" : s.kind === "more" ? " more" : "";
            if (s.at === null) return <span key={k} className={`narrative-sentence${tone}`}>{s.text} </span>;
            const at = s.at;
            return (
              <span key={k}>
                <button
                  type="button"
                  className={`link narrative-sentence${tone}`}
                  data-event={at}
                  aria-pressed={selected === at}
                  title={`Select event #${at}${s.events.length > 1 ? ` (${s.events.length} events)` : ""}`}
                  onClick={() => onSelect(at)}
                >
                  {s.text}
                </button>{" "}
              </span>
            );
          })}
        </p>
      ) : (
        <p className="muted">
          The story of this run is told once its trace has loaded.
          {onLoad ? (
            <>
              {" "}It is a large run, so the trace loads only when asked:{" "}
              <button type="button" className="small" onClick={onLoad}>Load the trace</button>
            </>
          ) : null}
        </p>
      )}
      {narrative && !compact ? <p className="muted small">Click a sentence to step to its event in the diagram and the log.</p> : null}
    </div>
  );
  if (compact) return story;
  return (
    <div className="panel story-panel" data-testid="run-story">
      <div className={description ? "split story-split" : undefined}>
        {story}
        {description ? (
          <aside data-testid="scenario-description" aria-label="The scenario's description">
            <h3>The scenario</h3>
            <Markdown text={description} />
          </aside>
        ) : null}
      </div>
    </div>
  );
}
