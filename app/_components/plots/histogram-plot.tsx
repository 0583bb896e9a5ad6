// A histogram as plain SVG: one bar per bin, counts on the y axis, bin edges on the x axis.
import type { Histogram } from "@/app/_components/results/histogram";
import { formatNumber, linearScale } from "./axis";

const W = 520;
const H = 220;
const M = { left: 44, right: 12, top: 12, bottom: 38 };

export function HistogramPlot({ hist, xLabel, title }: { hist: Histogram; xLabel: string; title: string }) {
  if (hist.counts.length === 0) return <p className="muted small">Nothing to plot.</p>;
  const x = linearScale(hist.edges[0]!, hist.edges[hist.edges.length - 1]!, M.left, W - M.right, 6, false);
  const maxCount = Math.max(...hist.counts);
  const y = linearScale(0, maxCount, H - M.bottom, M.top, 4);
  const step = (hist.edges[1] ?? 1) - (hist.edges[0] ?? 0);
  return (
    <svg className="plot" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
      <title>{title}</title>
      {y.ticks.map((t) => (
        <g key={`y${t}`}>
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} className="grid" />
          <text x={M.left - 6} y={y(t) + 4} textAnchor="end">{formatNumber(t, y.step)}</text>
        </g>
      ))}
      {hist.counts.map((c, k) => {
        const x0 = x(hist.edges[k]!);
        const x1 = x(hist.edges[k + 1]!);
        return (
          <rect key={k} className="bar" x={x0 + 0.5} y={y(c)} width={Math.max(1, x1 - x0 - 1)} height={Math.max(0, y(0) - y(c))}>
            <title>{`${formatNumber(hist.edges[k]!, step)}–${formatNumber(hist.edges[k + 1]!, step)}: ${c}`}</title>
          </rect>
        );
      })}
      {x.ticks.map((t) => (
        <text key={`x${t}`} x={x(t)} y={H - M.bottom + 14} textAnchor="middle">{formatNumber(t, x.step)}</text>
      ))}
      <line x1={M.left} x2={W - M.right} y1={y(0)} y2={y(0)} className="axis" />
      <text x={(M.left + W - M.right) / 2} y={H - 6} textAnchor="middle" className="axis-label">{xLabel}</text>
    </svg>
  );
}
