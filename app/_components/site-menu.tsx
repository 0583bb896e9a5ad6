"use client";
// The header's navigation and account links: a row on wide screens, behind a Menu button on
// phones (the menu closes again when a link is followed).
import { useEffect, useState, type ReactNode } from "react";
import { usePathname } from "next/navigation";

export function SiteMenu({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  useEffect(() => setOpen(false), [pathname]);
  return (
    <>
      <button
        type="button"
        className="menu-toggle small"
        aria-expanded={open}
        aria-controls="site-menu"
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === "Escape") setOpen(false);
        }}
      >
        <span aria-hidden="true">☰</span> Menu
      </button>
      <div id="site-menu" className="site-menu" data-open={open ? "true" : "false"}>
        {children}
      </div>
    </>
  );
}
