/**
 * The incident preset: the flash sale's burst at a small scale, a downstream slowdown, and
 * engine thresholds sized to that scale, so that the naive design's backlog grows and its
 * sales fail while the hardened one sheds, dead-letters and alerts within seconds.
 * `hunt demo` runs it in every cell of backends × designs.
 */

import { DEFAULT_PROMISE_MS } from '../analysis/symptoms.ts';
import { loadPlan, type Plan } from '../chaos/plan.ts';
import { shippedPlanFile } from '../chaos/shipped-plans.ts';
import { planTargets } from '../system/chaos.ts';
import type { MatrixSpec } from './matrix-spec.ts';

const PLAN = 'flash-sale-incident';

export const INCIDENT = {
  scenario: 'peak-sale',
  profile: 'flash-sale',
  /** The profile's 5 minutes compressed to the plan's length (the burst opens at a fifth of it), at up to 200 requests/s. */
  scale: 0.25,
  seed: 1,
  drainTimeoutS: 60,
  /** A consumer that delivered nothing for this long will not drain: its drain ends, censored. */
  drainStallS: 10,
  /** Cells side by side, each on a private stack: the runs wait on the clock more than the CPU. */
  sideBySide: 4,
  promiseMs: DEFAULT_PROMISE_MS,
  partitions: 4,
  kinesisQuota: 1,
  /** Sized to ~200 requests/s: a few seconds of a stalled consumer cross them. */
  engineSettings: {
    backlogCritical: '1500',
    backlogResume: '750',
    alertBacklog: '500',
    alertBacklogForS: '2',
  },
  matrix: {
    backends: ['kafka', 'kinesis'],
    designs: [
      { name: 'naive', settings: { design: 'naive' } },
      { name: 'hardened', settings: { design: 'hardened' } },
    ],
    /** The fewest runs per cell at which the demo's 12 primary tests can name a difference (docs/method.md). */
    repeat: 6,
  } satisfies MatrixSpec,
} as const;

/** The incident's plan: the fulfillment service saturating for 25 s of a 50 s burst. */
export function incidentPlan(): Plan {
  return loadPlan(shippedPlanFile(PLAN), planTargets());
}
