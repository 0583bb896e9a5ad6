// Start a scenario: from a template (one per failure on the slide) or a pasted document.
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { TEMPLATES } from "@/server/templates";
import { getSessionUser } from "@/server/auth/options";
import { UseTemplateButton } from "@/app/_components/use-template-button";
import { PasteScenario } from "./paste";

export const metadata: Metadata = { title: "New scenario" };

export default async function NewScenarioPage() {
  const user = await getSessionUser();
  if (!user) redirect("/signin?callbackUrl=/scenarios/new");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>New scenario</h1>
          <p className="sub">Start from a template, or paste a scenario in YAML or JSON.</p>
        </div>
      </div>
      <h2>From a template</h2>
      <div className="grid cols-4">
        {TEMPLATES.map((t) => (
          <div className="card" key={t.id} data-testid={`template-${t.id}`}>
            <div className="slide">{t.slide}</div>
            <h3>{t.title}</h3>
            <p className="muted small">{t.summary}</p>
            <div className="actions">
              <UseTemplateButton templateId={t.id} signedIn label="Use" />
            </div>
          </div>
        ))}
      </div>
      <h2>Paste a scenario</h2>
      <PasteScenario />
    </>
  );
}
