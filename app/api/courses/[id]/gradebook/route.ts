// The course-wide gradebook as CSV in the shape Canvas (?format=canvas) or Gradescope
// (?format=gradescope) imports, for course staff only; anyone else gets 404 (403 for a student).
import { TRPCError } from "@trpc/server";
import { serverCaller } from "@/server/api/server-caller";
import { canvasCsv, gradescopeCsv } from "@/server/courses/gradebook";
import { slug } from "@/app/_components/format";
import { guardedRoute } from "@/server/http/route";

export const dynamic = "force-dynamic";

const STATUS: Record<string, number> = { UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_REQUEST: 404 };

async function get(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const query = new URL(req.url).searchParams;
  const mode = query.get("mode") === "best" ? "best" : "latest";
  const format = query.get("format") ?? "canvas";
  if (format !== "canvas" && format !== "gradescope") {
    return new Response(`format: "${format.slice(0, 40)}" is not an export; use canvas or gradescope\n`, { status: 400, headers: { "content-type": "text/plain" } });
  }
  const { api } = await serverCaller();
  try {
    const book = await api.course.gradebook({ id: id.slice(0, 64), mode });
    return new Response(format === "canvas" ? canvasCsv(book) : gradescopeCsv(book), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${slug(book.course.title)}-${format}-${mode}.csv"`,
        "cache-control": "private, no-store",
      },
    });
  } catch (err) {
    if (err instanceof TRPCError && STATUS[err.code]) return new Response(`${err.message}\n`, { status: STATUS[err.code], headers: { "content-type": "text/plain" } });
    throw err;
  }
}

export const GET = guardedRoute(get);
