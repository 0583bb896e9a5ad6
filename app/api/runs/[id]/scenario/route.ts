// The scenario document a run ran, exactly as saved, for download.
import { serverCaller } from "@/server/api/server-caller";
import { slug } from "@/app/_components/format";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const url = new URL(req.url);
  const { api } = await serverCaller();
  const run = await api.run.byId({ id: id.slice(0, 64), token: url.searchParams.get("key")?.slice(0, 64) ?? undefined }).catch(() => null);
  if (!run) return new Response("Run not found\n", { status: 404, headers: { "content-type": "text/plain" } });
  const isJson = run.version.source.trimStart().startsWith("{");
  return new Response(run.version.source, {
    headers: {
      "content-type": isJson ? "application/json; charset=utf-8" : "application/yaml; charset=utf-8",
      "content-disposition": `attachment; filename="${slug(run.scenario.name)}-v${run.version.number}.${isJson ? "json" : "yaml"}"`,
    },
  });
}
