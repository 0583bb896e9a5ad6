"use client";
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";

export function SignInForm({ github, callbackUrl, initialError }: { github: boolean; callbackUrl: string; initialError: string | null }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const res = await signIn("credentials", { email, password, redirect: false });
    setBusy(false);
    if (!res || res.error) {
      setError(res?.error && res.error !== "CredentialsSignin" ? res.error : "Wrong email or password.");
      return;
    }
    router.push(callbackUrl);
    router.refresh();
  }

  return (
    <div className="form-narrow panel">
      <h1>Sign in</h1>
      <p className="muted">Welcome back. New here? <Link href="/signup">Create an account</Link>.</p>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="email">Email</label>
          <input id="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </div>
        {error ? <div className="alert error" role="alert">{error}</div> : null}
        <button type="submit" className="primary" disabled={busy}>{busy ? "Signing in…" : "Sign in"}</button>
      </form>
      {github ? (
        <>
          <hr />
          <button type="button" onClick={() => void signIn("github", { callbackUrl })}>Sign in with GitHub</button>
        </>
      ) : null}
      <p className="muted small" style={{ marginTop: "1rem" }}>Trying it out? Sign in as <code>demo@faultline.dev</code> (an instructor) or <code>student@faultline.dev</code>, both with password <code>faultline-demo</code>.</p>
    </div>
  );
}
