// /compare with a run that does not exist or may not be seen: 404, and the same words for both
// cases, so a private run's existence is not revealed.
import Link from "next/link";

export default function CompareNotFound() {
  return (
    <div className="panel empty" data-testid="not-found" style={{ maxWidth: 640, margin: "3rem auto" }}>
      <h1>Run not found</h1>
      <p data-testid="compare-problem">A run to compare was not found. It may be private, deleted, or shared through a link that was revoked.</p>
      <p>
        <Link href="/runs">My runs</Link> · <Link href="/compare">Compare runs</Link> · <Link href="/gallery">Gallery</Link>
      </p>
    </div>
  );
}
