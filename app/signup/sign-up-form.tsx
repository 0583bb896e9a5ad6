"use client";
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "../_components/trpc";
import { apiError } from "../_components/field-errors";

export function SignUpForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [form, setForm] = useState({ name: "", email: "", password: "" });
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const signUp = useMutation(trpc.user.signUp.mutationOptions());

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setErrors({});
    setMessage(null);
    try {
      await signUp.mutateAsync(form);
    } catch (err) {
      const view = apiError(err);
      setErrors(view.fieldErrors);
      if (Object.keys(view.fieldErrors).length === 0) setMessage(view.message);
      return;
    }
    const res = await signIn("credentials", { email: form.email, password: form.password, redirect: false });
    if (!res || res.error) {
      setMessage("Your account was created, but signing in failed. Try signing in.");
      return;
    }
    router.push("/scenarios");
    router.refresh();
  }

  const field = (key: "name" | "email" | "password", label: string, type: string, autoComplete: string, hint?: string) => (
    <div className="field">
      <label htmlFor={key}>
        {label} {hint ? <span className="hint">{hint}</span> : null}
      </label>
      <input
        id={key}
        type={type}
        autoComplete={autoComplete}
        value={form[key]}
        aria-invalid={errors[key] ? true : undefined}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
      />
      {errors[key] ? <div className="error">{errors[key]![0]}</div> : null}
    </div>
  );

  return (
    <div className="form-narrow panel">
      <h1>Create your account</h1>
      <p className="muted">Already have one? <Link href="/signin">Sign in</Link>.</p>
      <form onSubmit={submit} noValidate>
        {field("name", "Name", "text", "name")}
        {field("email", "Email", "email", "email")}
        {field("password", "Password", "password", "new-password", "(at least 8 characters)")}
        {message ? <div className="alert error" role="alert">{message}</div> : null}
        <button type="submit" className="primary" disabled={signUp.isPending}>{signUp.isPending ? "Creating…" : "Create account"}</button>
      </form>
    </div>
  );
}
