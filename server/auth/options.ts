// next-auth configuration: email + password (Credentials) always; GitHub when its
// client id and secret are set. Sessions are signed JWT cookies, so any number of web
// processes can check them without sharing memory.
import type { NextAuthOptions } from "next-auth";
import CredentialsImport from "next-auth/providers/credentials";
import GitHubImport from "next-auth/providers/github";
import { getServerSession } from "next-auth";
import { z } from "zod";
import { db } from "@/server/db";
import { env, githubEnabled } from "@/server/env";
import { verifyPassword } from "./password";
import { signInLimiter } from "./rate-limit";

// next-auth 4 ships CommonJS: bundlers hand us the function, plain Node ESM (scripts,
// tests under tsx) the module object with the function as `default`.
function interop<T>(mod: T): T {
  return (mod as { default?: T }).default ?? mod;
}
const CredentialsProvider = interop(CredentialsImport);
const GitHubProvider = interop(GitHubImport);

const ZCredentials = z.object({ email: z.string().trim().toLowerCase().email().max(254), password: z.string().min(1).max(200) });

export const authOptions: NextAuthOptions = {
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = ZCredentials.safeParse(raw);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        if (!signInLimiter.take(email)) throw new Error("Too many sign-in attempts. Wait a minute and try again.");
        const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, name: true, passwordHash: true } });
        if (!user?.passwordHash) return null;
        if (!(await verifyPassword(password, user.passwordHash))) return null;
        return { id: user.id, email: user.email, name: user.name };
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
      const name = user.name ?? (profile as { login?: string } | undefined)?.login ?? email;
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
