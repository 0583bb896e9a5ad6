// One metric's distribution over a sweep's seeds as a small box plot: a whisker from min to
// max, a box from p50 to p90, a tick at p99 and a dot at the mean.
import type { MetricDistribution } from "@/server/sim";

const W = 220;
const H = 22;
const PAD = 6;

export function DistributionPlot({ dist, label }: { dist: MetricDistribution; label: string }) {
  const span = dist.max - dist.min;
  const x = (v: number) => (span > 0 ? PAD + ((v - dist.min) / span) * (W - 2 * PAD) : W / 2);
  const mid = H / 2;
  return (
    <svg className="plot dist" viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`${label}: min ${dist.min}, p50 ${dist.p50}, p90 ${dist.p90}, p99 ${dist.p99}, max ${dist.max}`}>
      <line x1={x(dist.min)} x2={x(dist.max)} y1={mid} y2={mid} className="whisker" />
      <line x1={x(dist.min)} x2={x(dist.min)} y1={mid - 5} y2={mid + 5} className="whisker" />
      <line x1={x(dist.max)} x2={x(dist.max)} y1={mid - 5} y2={mid + 5} className="whisker" />
      <rect x={x(dist.p50)} y={mid - 6} width={Math.max(2, x(dist.p90) - x(dist.p50))} height={12} className="box" />
      <line x1={x(dist.p99)} x2={x(dist.p99)} y1={mid - 8} y2={mid + 8} className="p99" />
      <circle cx={x(dist.mean)} cy={mid} r={2.5} className="mean" />
    </svg>
  );
}
