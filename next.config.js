// Next.js configuration. Database drivers stay outside the server bundle (native code).
import { API_CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY } from "./server/http/security-headers.mjs";

/** @type {import('next').NextConfig} */
const nextConfig = {
  // NEXT_DIST_DIR lets two checkouts' servers (or a test run beside a dev server) build apart.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // The browser tests' server sets this: `npm test` has already type-checked the whole tree
  // (tsc --noEmit), and Next's own pass would repeat it (about 45 s of a 2-core CI run).
  typescript: { ignoreBuildErrors: process.env.FAULTLINE_BUILD_SKIP_TYPECHECK === "1" },
  reactStrictMode: true,
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg", "@prisma/client"],
  // Pages get their Content-Security-Policy (with a nonce) from proxy.ts; HSTS comes from the web
  // front (server/http/front.ts), which knows whether the request came over https.
  async headers() {
    return [
      {
        source: "/(.*)",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Permissions-Policy", value: PERMISSIONS_POLICY },
        ],
      },
      // Every page but the embeddable run player (app/embed, framed by any site; proxy.ts) refuses framing by others.
      { source: "/((?!embed/).*)", headers: [{ key: "X-Frame-Options", value: "SAMEORIGIN" }] },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default nextConfig;
