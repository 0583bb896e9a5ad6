// Sign in with email and password, or GitHub when it is configured.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { githubEnabled } from "@/server/env";
import { getSessionUser } from "@/server/auth/options";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const params = await searchParams;
  const callbackUrl = safeCallback(params.callbackUrl);
  if (await getSessionUser()) redirect(callbackUrl);
  return <SignInForm github={githubEnabled} callbackUrl={callbackUrl} initialError={params.error ? "Sign-in failed. Check your email and password." : null} />;
}

/** Only same-site paths: a sign-in link must not bounce people to another site. */
function safeCallback(url: string | undefined): string {
  if (!url) return "/scenarios";
  try {
    const parsed = new URL(url, "http://x");
    if (parsed.origin !== "http://x" && !url.startsWith("http://localhost")) return "/scenarios";
    return parsed.pathname + parsed.search;
  } catch {
    return "/scenarios";
  }
}
