// The random nemesis's defaults, apart from the expansion so the schema can fill them in without
// importing the drawing code. Docs: docs/scenario-format.md ("The random nemesis").

export const RANDOM_DEFAULTS = {
  /** Mean gap between two fault starts. */
  everyUs: 1_000_000,
  /** Each fault lasts between these. */
  lengthMinUs: 100_000,
  lengthMaxUs: 1_000_000,
  /** Drawn faults at most. */
  max: 20,
  /** Without `quiet`: this share of the window at its end has no fault. */
  quietShare: 0.2,
} as const;
