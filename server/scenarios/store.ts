// Writing scenarios: the one place a scenario and its first version are created, used
// by the API (create, fork), the demo data and course assignments.
import type { Db } from "@/server/db";
import { scenarioInvalid } from "@/server/api/errors";
import { newShareToken } from "@/server/api/access";
import { encodeFaultKinds } from "./validate";
import { checkScenarioOffThread } from "./check-pool";

/** Creates a scenario with its first version from a checked document. */
export async function createScenario(db: Db, ownerId: string, source: string, forkedFromId?: string, note?: string) {
  const checked = await checkScenarioOffThread(source);
  if (!checked.ok) throw scenarioInvalid(checked.problems);
  const { facts } = checked;
  return db.scenario.create({
    data: {
      ownerId,
      name: facts.name,
      description: facts.description,
      protocol: facts.protocol,
      faultKinds: encodeFaultKinds(facts.faultKinds),
      shareToken: newShareToken(),
      forkedFromId: forkedFromId ?? null,
      latestVersion: 1,
      versions: { create: { number: 1, source, name: facts.name, note: note ?? (forkedFromId ? "forked" : "") } },
    },
    select: { id: true, latestVersion: true },
  });
}

