// The gradebook as CSV for LMS import (email, name, score, submitted at), for course staff only;
// anyone else gets 404 (or 403 for a student of the course), never the data.
import { TRPCError } from "@trpc/server";
import { serverCaller } from "@/server/api/server-caller";
import { gradebookCsv } from "@/server/courses/views";
import { slug } from "@/app/_components/format";
import { guardedRoute } from "@/server/http/route";

export const dynamic = "force-dynamic";

const STATUS: Record<string, number> = { UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_REQUEST: 404 };

async function get(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const mode = new URL(req.url).searchParams.get("mode") === "best" ? "best" : "latest";
  const { api } = await serverCaller();
  try {
    const book = await api.assignment.gradebook({ assignmentId: id.slice(0, 64), mode });
    return new Response(gradebookCsv(book.rows), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${slug(book.course.title)}-${slug(book.assignment.title)}-${mode}.csv"`,
        "cache-control": "private, no-store",
      },
    });
  } catch (err) {
    if (err instanceof TRPCError && STATUS[err.code]) return new Response(`${err.message}\n`, { status: STATUS[err.code], headers: { "content-type": "text/plain" } });
    throw err;
  }
}

export const GET = guardedRoute(get);
