// What a check measured, in words, beside its verdict: the latency check bounds only answered
// requests, so "holds" while 41 of 50 requests failed says so (the simulator's verdict and its
// summary stay as they are; this is the run page's and the command line's reading of the run's
// own counts).

export interface RequestCounts {
  issued: number;
  succeeded: number;
  failed: number;
}

/** A note for the check, or null when its verdict needs none. */
export function checkNote(check: { name: string; ok: boolean }, requests: RequestCounts | null | undefined): { text: string; warn: boolean } | null {
  if (check.name !== "latency" || !requests) return null;
  const { issued, succeeded, failed } = requests;
  const noun = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "request" : "requests"}`;
  if (succeeded === 0) {
    return { text: `Measured nothing: none of the ${noun(issued)} was answered, so there was no latency to bound. all-complete judges failures.`, warn: issued > 0 };
  }
  const measured = `Measured over the ${noun(succeeded)} that ${succeeded === 1 ? "was" : "were"} answered`;
  if (failed === 0) return { text: `${measured} (all of them).`, warn: false };
  return {
    text: `${measured}; ${failed.toLocaleString("en-US")} of ${noun(issued)} failed and have no latency${check.ok ? ", so they cannot break this bound" : ""}. all-complete judges failures.`,
    warn: true,
  };
}
