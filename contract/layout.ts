/**
 * The results directory's layout: the name of every file a run writes and every reader
 * reads (docs/contracts.md, "Results"). Writers and readers take the names from here.
 */
export const RESULTS = {
  /** The run's manifest: what ran, with which settings and fidelity (schema.ts RunManifest). */
  run: 'run.json',
  /** The run's figures (schema.ts Summary). */
  summary: 'summary.json',
  /** The audit: accepted ids against the stream and its DLQ (schema.ts Audit). */
  audit: 'audit.json',
  /** The chaos runner's record of every step (schema.ts ChaosRecord). */
  chaos: 'chaos.json',
  /** One point a second of the run (schema.ts TimelinePoint), newline-delimited JSON. */
  timeline: 'timeline.ndjson',
  /** k6's samples, gzipped CSV: the audit's witness and the HTTP figures. */
  k6Samples: 'k6-samples.csv.gz',
  /** The engine's ledger of accepted event ids. */
  ledger: 'ledger.txt',
  /** Present when the run did not complete; it says why. */
  incomplete: 'INCOMPLETE',
  /** A comparison's machine-readable findings and answer (`hunt compare`). */
  compare: 'compare.json',
  /** The same findings as text, one per line. */
  findings: 'findings.txt',
  /** Each configuration's breaking point and the steps that found it (`hunt capacity`). */
  capacity: 'capacity.json',
} as const;
