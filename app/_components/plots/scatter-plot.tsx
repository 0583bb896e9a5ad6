// A scatter plot as plain SVG (latency over time): many points are thinned per pixel column
// to the lowest and highest, so outliers always show; a click on a point reports its index.
import { useMemo } from "react";
import { decimate } from "@/app/_components/results/histogram";
import { formatNumber, linearScale } from "./axis";

const W = 520;
const H = 220;
const M = { left: 44, right: 12, top: 12, bottom: 38 };

export interface ScatterProps {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  xLabel: string;
  yLabel: string;
  title: string;
  /** Index of a highlighted point, or -1. */
  highlighted?: number;
  onPick?: (index: number) => void;
}

export function ScatterPlot({ xs, ys, xLabel, yLabel, title, highlighted = -1, onPick }: ScatterProps) {
  const n = Math.min(xs.length, ys.length);
  const { x, y, shown } = useMemo(() => {
    let xMin = Infinity, xMax = -Infinity, yMax = 0;
    for (let i = 0; i < n; i++) {
      xMin = Math.min(xMin, xs[i]!);
      xMax = Math.max(xMax, xs[i]!);
      yMax = Math.max(yMax, ys[i]!);
    }
    if (n === 0) { xMin = 0; xMax = 1; }
    const x = linearScale(Math.min(0, xMin), xMax, M.left, W - M.right, 6);
    const y = linearScale(0, yMax, H - M.bottom, M.top, 4);
    return { x, y, shown: decimate(xs, ys, Math.floor((W - M.left - M.right) / 2), x.domain[0], x.domain[1]) };
  }, [xs, ys, n]);
  // The dots are built once per data set: stepping through the run (a new highlight) re-renders
  // only the highlighted dot, not hundreds of unchanged ones.
  const dots = useMemo(
    () =>
      shown.map((i) => (
        <circle key={i} className={`dot${onPick ? " pick" : ""}`} cx={x(xs[i]!)} cy={y(ys[i]!)} r={3} onClick={onPick ? () => onPick(i) : undefined}>
          <title>{`${xLabel} ${formatNumber(xs[i]!, x.step / 10)}: ${yLabel} ${formatNumber(ys[i]!, y.step / 10)}`}</title>
        </circle>
      )),
    [shown, x, y, xs, ys, onPick, xLabel, yLabel],
  );
  if (n === 0) return <p className="muted small">Nothing to plot.</p>;
  return (
    <svg className="plot" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
      <title>{title}</title>
      {y.ticks.map((t) => (
        <g key={`y${t}`}>
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} className="grid" />
          <text x={M.left - 6} y={y(t) + 4} textAnchor="end">{formatNumber(t, y.step)}</text>
        </g>
      ))}
      {x.ticks.map((t) => (
        <text key={`x${t}`} x={x(t)} y={H - M.bottom + 14} textAnchor="middle">{formatNumber(t, x.step)}</text>
      ))}
      <line x1={M.left} x2={W - M.right} y1={y(0)} y2={y(0)} className="axis" />
      {dots}
      {highlighted >= 0 && highlighted < n ? <circle className="dot on" cx={x(xs[highlighted]!)} cy={y(ys[highlighted]!)} r={5} /> : null}
      <text x={(M.left + W - M.right) / 2} y={H - 6} textAnchor="middle" className="axis-label">{xLabel}</text>
      <text x={12} y={(M.top + H - M.bottom) / 2} textAnchor="middle" className="axis-label" transform={`rotate(-90 12 ${(M.top + H - M.bottom) / 2})`}>{yLabel}</text>
    </svg>
  );
}
