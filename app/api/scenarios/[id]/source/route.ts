// Download a scenario version's document, exactly as it was saved.
import { serverCaller } from "@/server/api/server-caller";
import { slug } from "@/app/_components/format";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const url = new URL(req.url);
  const versionParam = url.searchParams.get("version");
  const version = versionParam && /^\d{1,6}$/.test(versionParam) ? Number(versionParam) : undefined;
  const { api } = await serverCaller();
  const scenario = await api.scenario.byId({ id: id.slice(0, 64), token: url.searchParams.get("key") ?? undefined, version }).catch(() => null);
  if (!scenario) return new Response("Scenario not found\n", { status: 404, headers: { "content-type": "text/plain" } });
  const isJson = scenario.version.source.trimStart().startsWith("{");
  const file = `${slug(scenario.name)}-v${scenario.version.number}.${isJson ? "json" : "yaml"}`;
  return new Response(scenario.version.source, {
    headers: {
      "content-type": isJson ? "application/json; charset=utf-8" : "application/yaml; charset=utf-8",
      "content-disposition": `attachment; filename="${file}"`,
    },
  });
}
