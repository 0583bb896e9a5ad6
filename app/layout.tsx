// The frame of every page: header with navigation and the signed-in user.
import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "./_components/trpc";
import { cookies } from "next/headers";
import { SignOutButton } from "./_components/sign-out-button";
import { headers } from "next/headers";
import { SiteMenu } from "./_components/site-menu";
import { ThemeToggle } from "./_components/theme-toggle";
import { THEME_COOKIE, themeOf } from "./_components/theme";
import { getSessionUser } from "@/server/auth/options";
import { EMBED_HEADER } from "@/server/http/security-headers.mjs";

export const metadata: Metadata = {
  title: { default: "Faultline", template: "%s · Faultline" },
  description: "Author failure scenarios for distributed systems, run them on a deterministic simulator, and compare and share the results.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The embeddable run player (app/embed) is framed by other sites: no header, menu or footer.
  if ((await headers()).get(EMBED_HEADER) === "1") {
    return (
      <html lang="en">
        <body className="embed">
          <Providers>{children}</Providers>
        </body>
      </html>
    );
  }
  const user = await getSessionUser();
  const theme = themeOf((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={theme ?? undefined}>
      <body>
        <header className="site-header">
          <div className="inner">
            <Link href="/" className="brand">
              <svg className="brand-mark" viewBox="0 0 24 24" aria-hidden="true">
                <path d="M3 4v16M21 4v16" stroke="#c9d3e3" strokeWidth="2" />
                <path d="M3 7l9 4" stroke="#fff" strokeWidth="2" />
                <path d="M12 11l-2 3 3 1" stroke="#f76707" strokeWidth="2" fill="none" />
                <path d="M21 13L3 18" stroke="#fff" strokeWidth="2" />
              </svg>
              Faultline
            </Link>
            <SiteMenu>
              <nav className="site-nav" aria-label="Main">
                {user ? (
                  <>
                    <Link href="/scenarios">Scenarios</Link>
                    <Link href="/runs">Runs</Link>
                    <Link href="/courses">Courses</Link>
                  </>
                ) : null}
                <Link href="/gallery">Gallery</Link>
                <Link href="/templates">Templates</Link>
                <Link href="/help/format">Format</Link>
              </nav>
              <div className="site-user">
                {user ? (
                  <>
                    <span data-testid="signed-in-as">{user.name}</span>
                    <SignOutButton />
                  </>
                ) : (
                  <>
                    <Link href="/signin">Sign in</Link>
                    <Link href="/signup" className="button small primary">Create account</Link>
                  </>
                )}
                <ThemeToggle initial={theme} />
              </div>
            </SiteMenu>
          </div>
        </header>
        <Providers>
          <main className="page">{children}</main>
        </Providers>
        <footer className="site-footer">Faultline: learn how distributed systems fail, one deterministic run at a time.</footer>
      </body>
    </html>
  );
}
