/**
 * The load phase of a run: the collector, the chaos runner and k6 start together on one
 * clock (t0); when k6 ends, the faults are undone; then the drain phase waits for the
 * backlog to reach zero while the collector keeps sampling.
 */
import { join } from 'node:path';
import { journalFile } from '../chaos/journal.ts';
import type { Plan } from '../chaos/plan.ts';
import { ChaosRecorder } from '../chaos/recorder.ts';
import { runPlan } from '../chaos/runner.ts';
import {
  stackDownstreamControl,
  stackProcessControl,
  stackQuotaControl,
  toxiproxyUrl,
} from '../chaos/stack-control.ts';
import { K6_THRESHOLDS_FAILED } from '../common/exit-codes.ts';
import type { EngineStatus } from '../engine/status.ts';
import { type K6Command, startK6Daemon } from '../scenarios/lib-node/run-k6.ts';
import { HOST, type Paths, type Ports } from '../stack/config.ts';
import { readDaemon } from '../stack/process.ts';
import { Collector } from './collector.ts';
import { startLeaderSampler } from './kafka-leader-sampler.ts';
import type { LoadShape } from './load-shape.ts';
import type { Progress } from './progress.ts';

export interface LoadContext {
  backend: 'kafka' | 'kinesis';
  dir: string;
  paths: Paths;
  ports: Ports;
  plan: Plan;
  /** The run's topic or stream (a Kafka cluster's leader of its partition 0 is sampled). */
  topic: string;
  /** Set when the broker is a remote target: nothing of the local stack's broker is sampled. */
  target?: unknown;
  k6: K6Command;
  shape: LoadShape;
  progress: Progress;
  signal: AbortSignal;
}

export interface LoadOutcome {
  t0: number;
  k6Exit: number;
  loadS: number;
  chaosErrors: number;
  collector: Collector;
}

export async function loadPhase(c: LoadContext): Promise<LoadOutcome> {
  const say = (line: string) => c.progress.log(line);
  const t0 = Date.now();
  const recorder = new ChaosRecorder();
  const broker = c.backend === 'kafka' ? 'kafka' : 'kinesalite';
  const pid = (name: string) => readDaemon(c.paths.state, name)?.pid;
  // The local cluster's leaders say nothing of a target's topic.
  const leaders =
    c.backend === 'kafka' && !c.target ? startLeaderSampler(c.paths, c.ports, c.topic) : null;
  const brokers = leaders ? ['kafka-1', 'kafka-2', 'kafka-3'] : [broker];
  let k6Pid: number | undefined;
  const collector = new Collector({
    engineUrl: `http://${HOST}:${c.ports.engine}`,
    dir: c.dir,
    t0,
    targetRps: (t) => (t <= c.shape.durationS ? c.shape.targetRps(t) : null),
    activeFaults: () => recorder.active(),
    pids: () => ({
      engine: pid('engine'),
      fulfillment: pid('fulfillment'),
      ...Object.fromEntries(brokers.map((b) => [b, pid(b)])),
      toxiproxy: pid('toxiproxy'),
      k6: k6Pid,
    }),
    extra: () => leaders?.fields() ?? {},
    onStop: async () => leaders?.stop(),
    onPoint: (p) =>
      c.progress.update(p, c.shape.durationS, p.t <= c.shape.durationS ? 'load' : 'drain'),
  });
  collector.start();

  // The faults stay in force until k6 ends (or the run is interrupted), then are undone.
  const chaosAbort = new AbortController();
  const stopChaos = () => chaosAbort.abort();
  c.signal.addEventListener('abort', stopChaos);
  const chaos = runPlan(c.plan, {
    backend: c.backend,
    toxiproxyUrl: toxiproxyUrl(c.ports),
    startedAt: t0,
    signal: chaosAbort.signal,
    recorder,
    processControl: stackProcessControl(c.paths, c.ports),
    quotaControl: stackQuotaControl(c.paths, c.ports),
    downstreamControl: stackDownstreamControl(c.ports),
    journalFile: journalFile(c.paths.state),
    holdUntilAborted: true,
    log: say,
  });

  // A daemon with a pid file: `stack down` or the next run stops it if this run is killed.
  const k6 = await startK6Daemon(c.k6, c.dir, c.paths.state);
  k6Pid = k6.pid;
  const stopK6 = () => k6.interrupt();
  c.signal.addEventListener('abort', stopK6);
  const k6Exit = await k6.exited;
  c.signal.removeEventListener('abort', stopK6);
  const loadS = (Date.now() - t0) / 1000;
  chaosAbort.abort();
  const result = await chaos;
  c.signal.removeEventListener('abort', stopChaos);
  recorder.write(c.dir);
  if (k6Exit !== 0 && k6Exit !== K6_THRESHOLDS_FAILED)
    say(`[run] k6 exited ${k6Exit}: see ${join(c.dir, 'logs', 'k6.log')}`);
  return { t0, k6Exit, loadS, chaosErrors: result.errors, collector };
}

/** Waits until everything accepted was delivered, nothing is queued, and the consumer is caught up. */
export async function drain(
  enginePort: number,
  timeoutS: number,
  signal: AbortSignal,
): Promise<boolean> {
  const deadline = Date.now() + timeoutS * 1000;
  while (Date.now() < deadline && !signal.aborted) {
    const s = await fetch(`http://${HOST}:${enginePort}/status`, {
      signal: AbortSignal.timeout(2_000),
    })
      .then((r) => r.json() as Promise<EngineStatus>)
      .catch(() => null);
    if (s && drained(s)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/**
 * accepted − delivered can reach zero early when writes the client never saw acknowledged
 * (a 504) were delivered too, so the consumer's lag behind the broker must be zero as well;
 * an unknown lag is not zero.
 */
export function drained(s: EngineStatus): boolean {
  return s.backlog.events <= 0 && s.backlog.producerQueue === 0 && s.backlog.broker?.value === 0;
}
