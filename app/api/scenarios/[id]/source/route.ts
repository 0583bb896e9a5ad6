// Download a scenario version's document, exactly as it was saved.
import { documentResponse, notFoundResponse, readableScenario } from "@/app/api/_lib/downloads";
import { guardedRoute } from "@/server/http/route";

export const dynamic = "force-dynamic";

async function get(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const versionParam = new URL(req.url).searchParams.get("version");
  const version = versionParam && /^\d{1,6}$/.test(versionParam) ? Number(versionParam) : undefined;
  const scenario = await readableScenario(req, (await params).id, version);
  if (!scenario) return notFoundResponse("Scenario");
  return documentResponse(scenario.version.source, scenario.name, scenario.version.number);
}

export const GET = guardedRoute(get);
