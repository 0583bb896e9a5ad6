"use client";
// Ends the session (next-auth clears its cookie) and returns to the home page.
import { signOut } from "next-auth/react";

export function SignOutButton() {
  return (
    <button type="button" className="small" onClick={() => void signOut({ callbackUrl: "/" })}>
      Sign out
    </button>
  );
}
