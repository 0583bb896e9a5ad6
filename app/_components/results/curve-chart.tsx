// A parameter curve as plain SVG: pass rate against the varied parameter with its confidence band,
// several series on one chart (retries 0 vs 3), latency percentiles below, and the numbers as a table.
import { useMemo } from "react";
import { curveModel, type CurveChartSeries, type CurveModel } from "./curve-model";

export interface CurveChartProps {
  title: string;
  /** The varied parameter, e.g. "network.loss". */
  xLabel: string;
  series: CurveChartSeries[];
}

export function CurveChart({ title, xLabel, series }: CurveChartProps) {
  const model = useMemo(() => curveModel(series), [series]);
  if (series.every((s) => s.points.length === 0)) return <p className="muted small">No points yet.</p>;
  const named = model.series.filter((s) => s.label !== "");
  return (
    <figure className="curve-chart" style={{ margin: 0, maxWidth: 640 }}>
      <Panel model={model} title={`${title}: pass rate against ${xLabel}`} xLabel={xLabel} yLabel="pass rate" kind="rate" />
      {model.hasLatency ? <Panel model={model} title={`${title}: latency against ${xLabel}`} xLabel={xLabel} yLabel="latency (ms)" kind="latency" /> : null}
      {named.length > 0 || model.hasLatency ? (
        <figcaption className="small" style={{ display: "flex", flexWrap: "wrap", gap: "4px 14px", marginTop: 4 }}>
          {named.map((s) => (
            <span key={s.label} style={{ display: "inline-flex", alignItems: "center", gap: 6 }}>
              <svg width="26" height="10" aria-hidden="true">
                <line x1="1" x2="25" y1="5" y2="5" stroke={s.color} strokeWidth="2.5" strokeDasharray={s.dash || undefined} />
              </svg>
              {s.label}
            </span>
          ))}
          {model.hasLatency ? <span className="muted">latency: thick p50, thin p99; band: 95% interval of the pass rate</span> : <span className="muted">band: 95% interval</span>}
        </figcaption>
      ) : null}
      <details className="small" style={{ marginTop: 6 }}>
        <summary>The numbers</summary>
        <div style={{ overflowX: "auto" }}>
          <table>
            <caption className="muted">{`${title}: each point's pass rate over its seeds, with a 95% Wilson interval`}</caption>
            <thead>
              <tr>
                {model.table.columns.map((c, i) => (i === 1 ? <th key={c} scope="col">{xLabel}</th> : <th key={c} scope="col">{c}</th>))}
              </tr>
            </thead>
            <tbody>
              {model.table.rows.map((r, i) => (
                <tr key={i}>
                  {r.map((cell, j) => (j === 0 ? <th key={j} scope="row">{cell || "—"}</th> : <td key={j}>{cell}</td>))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function Panel({ model, title, xLabel, yLabel, kind }: { model: CurveModel; title: string; xLabel: string; yLabel: string; kind: "rate" | "latency" }) {
  const { width: W, height: H, margin: M } = model.geometry;
  const ticks = kind === "rate" ? model.rateTicks : model.latencyTicks;
  const midY = (M.top + H - M.bottom) / 2;
  return (
    <svg className="plot" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
      <title>{title}</title>
      {ticks.map((t) => (
        <g key={`y${t.label}`}>
          <line x1={M.left} x2={W - M.right} y1={t.px} y2={t.px} className="grid" />
          <text x={M.left - 6} y={t.px + 4} textAnchor="end">{t.label}</text>
        </g>
      ))}
      {model.xTicks.map((t) => (
        <text key={`x${t.label}`} x={t.px} y={H - M.bottom + 14} textAnchor="middle">{t.label}</text>
      ))}
      <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} className="axis" />
      {model.series.map((s) =>
        kind === "rate" ? (
          <g key={s.label}>
            <path d={s.band} fill={s.color} fillOpacity={0.12} stroke="none" />
            <path d={s.line} fill="none" stroke={s.color} strokeWidth={2} strokeDasharray={s.dash || undefined} />
            {s.dots.map((d, i) => (
              <circle key={i} cx={d.x} cy={d.y} r={3} fill={s.color}>
                <title>{d.title}</title>
              </circle>
            ))}
          </g>
        ) : (
          <g key={s.label}>
            <path d={s.p50} fill="none" stroke={s.color} strokeWidth={2.5} strokeDasharray={s.dash || undefined} />
            <path d={s.p99} fill="none" stroke={s.color} strokeWidth={1} strokeDasharray={s.dash || undefined} />
          </g>
        ),
      )}
      <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle" className="axis-label">{xLabel}</text>
      <text x={11} y={midY} textAnchor="middle" className="axis-label" transform={`rotate(-90 11 ${midY})`}>{yLabel}</text>
    </svg>
  );
}
