// next-auth configuration: email + password (Credentials) always; GitHub when its
// client id and secret are set. Sessions are signed JWT cookies, so any number of web
// processes can check them without sharing memory.
import type { NextAuthOptions } from "next-auth";
import CredentialsImport from "next-auth/providers/credentials";
import GitHubImport from "next-auth/providers/github";
import { getServerSession } from "next-auth";
import { db } from "@/server/db";
import { env, githubEnabled } from "@/server/env";
import { UNKNOWN_ADDRESS } from "@/server/http/client-address";
import { checkCredentials, signInRequest, SignInRefused } from "./sign-in";

// next-auth 4 ships CommonJS: bundlers hand us the function, plain Node ESM (scripts,
// tests under tsx) the module object with the function as `default`.
function interop<T>(mod: T): T {
  return (mod as { default?: T }).default ?? mod;
}
const CredentialsProvider = interop(CredentialsImport);
const GitHubProvider = interop(GitHubImport);

export const authOptions: NextAuthOptions = {
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const request = signInRequest.getStore();
        try {
          return await checkCredentials(db, raw, request?.address ?? UNKNOWN_ADDRESS);
        } catch (err) {
          // next-auth shows the message; the auth route turns its 401 into a 429 with Retry-After.
          if (err instanceof SignInRefused && request) request.refused = err;
          throw err;
        }
      },
    }),
    ...(githubEnabled ? [GitHubProvider({ clientId: env.GITHUB_ID!, clientSecret: env.GITHUB_SECRET! })] : []),
  ],
  callbacks: {
    async signIn({ user, account, profile }) {
      if (account?.provider !== "github") return true;
      // GitHub: find or create the local user for this GitHub account.
      const githubId = String(account.providerAccountId);
      const email = (user.email ?? `${githubId}@users.noreply.github.com`).toLowerCase();
      // NUL cannot be stored in PostgreSQL text (and is in no one's name).
      const name = (user.name ?? (profile as { login?: string } | undefined)?.login ?? email).split("\u0000").join("");
      const existing = await db.user.findFirst({ where: { OR: [{ githubId }, { email }] }, select: { id: true } });
      const local = existing
        ? await db.user.update({ where: { id: existing.id }, data: { githubId }, select: { id: true } })
        : await db.user.create({ data: { email, name, githubId }, select: { id: true } });
      user.id = local.id;
      return true;
    },
    async jwt({ token, user }) {
      if (user) token.uid = user.id;
      return token;
    },
    async session({ session, token }) {
      if (session.user && typeof token.uid === "string") session.user.id = token.uid;
      return session;
    },
  },
};

export type SessionUser = { id: string; email: string; name: string };

/** The signed-in user, or null. Checks the user still exists (a deleted account's cookie is void). */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id) return null;
  return db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true } });
}
