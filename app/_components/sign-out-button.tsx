"use client";
// Ends the session (next-auth clears its cookie) and returns to the home page of the address the
// browser is on: next-auth's own redirect would go to NEXTAUTH_URL (often localhost) instead.
import { signOut } from "next-auth/react";

export function SignOutButton() {
  return (
    <button
      type="button"
      className="small"
      onClick={() =>
        void signOut({ redirect: false }).then(() => {
          window.location.assign("/");
        })
      }
    >
      Sign out
    </button>
  );
}
