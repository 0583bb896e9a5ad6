// The web server: Next.js behind the web front (server/http/front.ts), which decides client
// addresses, HSTS and body sizes from the connection itself. `npm start` and
// `npm run start:web` run this; it serves the build `npm run build` made.
//   --port N   the port (default: PORT, else 3000)
const portArg = process.argv.indexOf("--port");
const port = Number(portArg >= 0 ? process.argv[portArg + 1] : (process.env.PORT ?? 3000));
// Next.js reads NODE_ENV when it loads; the front serves a production build.
(process.env as Record<string, string>).NODE_ENV = "production";
process.env.NEXT_TELEMETRY_DISABLED = "1";

const path = await import("node:path");
const { startWebFront } = await import("@/server/http/front");
const root = path.resolve(import.meta.dirname, "..");
await startWebFront({ port, dir: root });
console.log(`[web] ready on http://localhost:${port}`);
