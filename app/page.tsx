// The home page: what Faultline is, the slide's failures, and where to start.
import Link from "next/link";
import { TEMPLATES } from "@/server/templates";
import { getSessionUser } from "@/server/auth/options";

export default async function HomePage() {
  const user = await getSessionUser();
  const slide = TEMPLATES.slice(0, 8);
  return (
    <>
      <section className="hero">
        <h1>C1 sends &ldquo;journal plz&rdquo;. C2 answers &ldquo;ok&rdquo;. What could go wrong?</h1>
        <p>
          The request could be lost or slow. C2 could crash, or just be slow. The answer could be lost or slow. C2 could even lie.
          Faultline lets you write each of these down as a scenario, run it on a deterministic simulator, and see exactly what happened,
          message by message, on a space-time diagram you can share.
        </p>
        <div className="row">
          {user ? (
            <>
              <Link href="/scenarios/new" className="button primary">New scenario</Link>
              <Link href="/scenarios" className="button">My scenarios</Link>
            </>
          ) : (
            <>
              <Link href="/signup" className="button primary">Create an account</Link>
              <Link href="/signin" className="button">Sign in</Link>
            </>
          )}
          <Link href="/gallery" className="button">Browse the gallery</Link>
        </div>
      </section>
      <h2>Every failure on the slide, ready to run</h2>
      <div className="grid cols-4">
        {slide.map((t) => (
          <Link key={t.id} href="/templates" className="card" style={{ color: "inherit" }}>
            <div className="slide">{t.slide}</div>
            <h3>{t.title}</h3>
            <p className="muted small">{t.summary}</p>
          </Link>
        ))}
      </div>
      <h2>How it works</h2>
      <div className="grid cols-3">
        <div className="panel">
          <h3>1. Write the scenario</h3>
          <p className="muted">Nodes, network, protocol, workload, faults and the checks that must still hold, in YAML, with errors shown at the field as you type.</p>
        </div>
        <div className="panel">
          <h3>2. Run it, or sweep seeds</h3>
          <p className="muted">A worker runs the simulator: the same scenario and seed give the same events on any machine. Sweep hundreds of seeds to see how often a check fails.</p>
        </div>
        <div className="panel">
          <h3>3. Read, compare, share</h3>
          <p className="muted">Step through the space-time diagram, jump to the events that broke a check, compare two runs, and share a link.</p>
        </div>
      </div>
    </>
  );
}
