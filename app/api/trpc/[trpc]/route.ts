// The tRPC endpoint (server/http/trpc-handler.ts does the work).
import { createContext } from "@/server/api/trpc";
import { handleTrpcRequest } from "@/server/http/trpc-handler";

export const dynamic = "force-dynamic";

const handler = (req: Request) => handleTrpcRequest(req, () => createContext({ headers: req.headers }));

export { handler as GET, handler as POST };
