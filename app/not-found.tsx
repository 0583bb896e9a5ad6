// What anyone sees for a page that does not exist, or that they may not see: the same
// answer in both cases, so a private run's existence is not revealed.
import Link from "next/link";

export default function NotFound() {
  return (
    <div className="panel empty" data-testid="not-found" style={{ maxWidth: 640, margin: "3rem auto" }}>
      <h1>Not found</h1>
      <p>There is nothing here, or it is private, or the link you followed was revoked by its owner.</p>
      <p>
        <Link href="/">Home</Link> · <Link href="/gallery">Gallery</Link>
      </p>
    </div>
  );
}
