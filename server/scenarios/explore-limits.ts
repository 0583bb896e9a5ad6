// What the service lets an exploration (a Run of kind "explore", docs/search.md) ask for: fewer
// faults, a shallower depth and a smaller schedule budget than the command line, so one job stays small.
import { z } from "zod";
import { CHOICE_KINDS } from "@/server/sim/search/explore";

/** At most this many faults added to a schedule (K). */
export const EXPLORE_SERVICE_FAULTS_MAX = 3;
/** At most this many messages offer choice points (N). */
export const EXPLORE_SERVICE_DEPTH_MAX = 20;
/** At most this many schedules one exploration runs before it stops (and says it is incomplete). */
export const EXPLORE_SERVICE_SCHEDULES_MAX = 5_000;
/** The schedule budget when none is given. */
export const EXPLORE_SERVICE_SCHEDULES_DEFAULT = 1_000;

const whole = (what: string, min: number, max: number) =>
  z
    .number({ error: (i) => (i.input === undefined ? "required" : `expected ${what}, got ${typeof i.input}`) })
    .int(`${what} is a whole number`)
    .min(min, `${what} is at least ${min}`)
    .max(max, `${what} is at most ${max}`);

/** An exploration's bounds, as the API takes them and the job's summary keeps them. */
export const ZExploreRequest = z.object({
  faults: whole("the number of faults", 1, EXPLORE_SERVICE_FAULTS_MAX),
  depth: whole("the depth", 1, EXPLORE_SERVICE_DEPTH_MAX),
  kinds: z
    .array(z.enum(CHOICE_KINDS, { error: `a kind is one of ${CHOICE_KINDS.join(", ")}` }))
    .min(1, `give at least one of ${CHOICE_KINDS.join(", ")}`)
    .max(CHOICE_KINDS.length)
    .refine((k) => new Set(k).size === k.length, "each kind at most once"),
  maxSchedules: whole("the schedule budget", 1, EXPLORE_SERVICE_SCHEDULES_MAX).default(EXPLORE_SERVICE_SCHEDULES_DEFAULT),
});

export type ExploreRequestInput = z.input<typeof ZExploreRequest>;
export type ExploreBounds = z.output<typeof ZExploreRequest>;

/** The bounds a queued exploration keeps in its summary, or null when it holds none. */
export function exploreRequestOf(summary: string | null): ExploreBounds | null {
  if (!summary) return null;
  try {
    const parsed = ZExploreRequest.safeParse((JSON.parse(summary) as { request?: unknown }).request);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
