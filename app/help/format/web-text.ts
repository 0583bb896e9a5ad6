// docs/scenario-format.md as a page for people in the browser: the repository's paths (the
// contract under ../shared, other docs files, the slide's .yaml files, CLI commands on those
// files) become links to pages of this app, so the reference never sends a web user to a file.

/** Slide scenario files and the template that is the same scenario, in the app. */
const SLIDE_TEMPLATES: Record<string, string> = {
  "01-request-lost.yaml": "request-lost",
  "02-request-slow.yaml": "request-slow",
  "03-server-crash.yaml": "server-crash",
  "04-server-slow.yaml": "server-slow",
  "05-response-lost.yaml": "response-lost",
  "06-response-slow.yaml": "response-slow",
  "07-byzantine-lie.yaml": "byzantine-lie",
  "08-unknown-computer.yaml": "unknown-computer",
  "09-lossy-network-sweep.yaml": "lossy-retries",
};

export function formatReferenceForWeb(markdown: string): string {
  return (
    markdown
      // "the contract is `../shared/spec/...` (format version 1), and `docs/simulator.md` lists ..." → plain words.
      .replace(/; the contract is\s+`[^`]*`\s+\(format version 1\),\s+and\s+`docs\/simulator\.md`\s+lists the rules the\s+simulator follows where the contract is silent\./, " (format version 1). The editor checks a scenario against it as you type.")
      .replace(/^Check a file, run it, and sweep it over many seeds:$/m, "In the app, the editor checks your scenario as you type, and **Run** and **Run sweep** on its page run it. From a terminal, the command-line tool does the same with a file:")
      .replace(/The files in `\.\.\/shared\/scenarios\/` show/, "The [templates](/templates) show")
      .replace(/`(0\d-[a-z-]+\.yaml)`/g, (whole, file: string) => {
        const id = SLIDE_TEMPLATES[file];
        return id ? `[${file.replace(/^0\d-|\.yaml$/g, "").replace(/-/g, " ")}](/templates#template-${id})` : whole;
      })
      .replace(/sweep it: `npx faultline sweep [^`]*`\./g, "sweep it: **Run sweep** with 1000 seeds on its page.")
      // Links to other docs files: their words, without the link (those pages are not in the app).
      .replace(/\[([^\]]+)\]\([\w./-]+\.md(#[\w-]*)?\)/g, "$1")
      // Any other mention of a repository path: the words without the path.
      .replace(/`(?:\.\.\/shared|docs|server|tests|cli)\/[^`]*`/g, "the reference")
  );
}
