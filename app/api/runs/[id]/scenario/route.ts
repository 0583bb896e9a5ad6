// The scenario document a run ran, exactly as saved, for download.
import { documentResponse, notFoundResponse, readableRun } from "@/app/api/_lib/downloads";
import { guardedRoute } from "@/server/http/route";

export const dynamic = "force-dynamic";

async function get(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const run = await readableRun(req, (await params).id);
  if (!run) return notFoundResponse("Run");
  return documentResponse(run.version.source, run.scenario.name, run.version.number);
}

export const GET = guardedRoute(get);
