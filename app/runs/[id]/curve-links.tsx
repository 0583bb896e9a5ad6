// A sweep's way to curves (docs/search.md): draw one over a parameter of its scenario, or, when the
// sweep is a point of a curve ("<name> · curve over <path>"), open that curve's page.
import Link from "next/link";

export function SweepCurveLinks({ scenarioId, scenarioName }: { scenarioId: string; scenarioName: string }) {
  return (
    <>
      {/ · curve over /.test(scenarioName) ? (
        <Link className="button" href={`/curves/${scenarioId}`} data-testid="sweep-curve-page">This point&apos;s curve</Link>
      ) : null}
      <Link className="button" href={`/curves?scenario=${scenarioId}`} data-testid="sweep-curve-link" title="A sweep per value of a parameter, drawn as a curve">Curve…</Link>
    </>
  );
}
