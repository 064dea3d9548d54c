/** What `hunt run` is asked to do, and what it answers: the run's whole input and result. */
import type { Plan } from '../chaos/plan.ts';
import type { Audit, Summary } from '../contract/schema.ts';
import type { Budgets } from '../reports/budgets.ts';
import type { AgentsSpec } from '../scenarios/lib-node/k6-agents.ts';
import type { Paths } from '../stack/config.ts';
import type { LoadedProfile } from './fidelity.ts';
import type { Progress } from './progress.ts';
import type { RunTarget } from './target.ts';

export interface RunOptions {
  backend: string;
  scenario: string;
  plan: Plan;
  planFile: string;
  seed: number;
  profile: string;
  scale: number;
  /** Share of arrivals sent as poison (k6 POISON_RATE); absent: the scenario's own. */
  poisonRate?: number;
  /** k6 DURATION, e.g. "90s"; the scenario's own when absent. */
  duration?: string;
  out: string;
  runId: string;
  drainTimeoutS: number;
  /**
   * End the drain when the consumer delivered nothing for this many seconds while the backlog
   * stayed put (recorded as stalled, its drain censored); absent: wait out the timeout.
   */
  drainStallS?: number;
  /** Kinesis quota layer multiplier; null leaves quotas off. Ignored for Kafka. */
  kinesisQuota: number | null;
  partitions: number;
  budgets: Budgets;
  budgetsFile: string;
  /** Where the event id sits in each record the audit reads (a dot path); default `id`. */
  auditIdPath?: string;
  /** An order fulfilled later than this (ms) is a failed sale; default DEFAULT_PROMISE_MS. */
  promiseMs?: number;
  /** The fidelity profile (scenarios/fidelity/): service model, consumer cadence, run.json record. */
  fidelity: LoadedProfile;
  /** Engine settings passed through (`--set`). */
  engineSettings: Record<string, string>;
  /**
   * Engine instances behind one balancer (`--producers`, a matrix design's `producers`);
   * absent or 1: the one engine on the engine's address.
   */
  producers?: number;
  /** The matrix configuration this run belongs to (`hunt compare`), recorded in summary.json. */
  configuration?: string;
  /** An existing system to run against (`--target`): no local broker is started. */
  target?: RunTarget;
  /** The load split over k6 agents (`--agents`, `--agent-hosts`); absent: one k6. */
  agents?: AgentsSpec;
  /** The engine URL the agents load (`--agent-base-url`); default the run's loopback one. */
  agentBaseUrl?: string;
  /** A non-loopback agentBaseUrl was named explicitly (`--allow-remote`): ALLOW_REMOTE=1 for k6. */
  allowRemote?: boolean;
  paths: Paths;
  signal: AbortSignal;
  progress: Progress;
}

export interface RunResult {
  dir: string;
  summary: Summary | null;
  audit: Audit | null;
  exitCode: number;
  /** Incomplete only because the backlog outlasted the drain timeout (run-execute.ts). */
  undrainedOnly: boolean;
}
