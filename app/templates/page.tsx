// The template gallery: one scenario per failure on the lecture slide, ready to run.
import type { Metadata } from "next";
import { TEMPLATES } from "@/server/templates";
import { getSessionUser } from "@/server/auth/options";
import { UseTemplateButton } from "../_components/use-template-button";

export const metadata: Metadata = { title: "Templates" };

export default async function TemplatesPage() {
  const user = await getSessionUser();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Templates</h1>
          <p className="sub">Start from one failure on the slide. Each template is a complete scenario with comments; use it, run it, then change it.</p>
        </div>
      </div>
      <div className="grid cols-3">
        {TEMPLATES.map((t) => (
          <div className="card" key={t.id} id={`template-${t.id}`} data-testid={`template-${t.id}`}>
            <div className="slide">{t.slide}</div>
            <h3>{t.title}</h3>
            <p className="muted small">{t.summary}</p>
            <details>
              <summary className="small">Show the scenario</summary>
              <pre className="small source">{t.source}</pre>
            </details>
            <div className="actions">
              <UseTemplateButton templateId={t.id} signedIn={Boolean(user)} />
            </div>
          </div>
        ))}
      </div>
    </>
  );
}
