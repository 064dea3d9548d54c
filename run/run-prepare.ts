/**
 * Before any load: every port the run's own processes need is checked free, the stack is
 * brought up (or the running one reused), and run.json, the k6 command and the load shape
 * are settled. Nothing here starts the engine or k6.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { QuotaSetting } from '../chaos/faults/types.ts';
import type { RunManifest } from '../contract/schema.ts';
import type { ServiceModel } from '../contract/service-model.ts';
import type { Agent } from '../scenarios/lib-node/k6-agents.ts';
import { type K6Command, type K6CommandOptions, k6Command } from '../scenarios/lib-node/run-k6.ts';
import { HOST, type Paths, type Ports, resolvePorts } from '../stack/config.ts';
import { isRunning, listDaemons, pidAlive, portInUse, readDaemon } from '../stack/process.ts';
import { readStackInfo, StackError, type StackInfo } from '../stack/stack.ts';
import { clearLeftovers } from '../system/leftovers.ts';
import { stackOptionsForRun, stackUp } from '../system/stack.ts';
import { prepareAgents } from './agents/prepare.ts';
import { assertProducersFit } from './engines.ts';
import { inspectShape, type LoadShape } from './load-shape.ts';
import { newManifest } from './manifest.ts';
import type { RunOptions } from './options.ts';
import { BALANCER_DAEMON } from './services.ts';
import { localSystem, type SystemUnderTest, targetSystem } from './system-under-test.ts';

/** Engine thresholds sized for a burst on one small machine; each can be overridden with --set. */
export const RUN_ENGINE_SETTINGS: Readonly<Record<string, string>> = {
  backlogCritical: '5000',
  backlogResume: '2500',
  alertBacklog: '1000',
  alertBacklogForS: '3',
  // Poison is 0.5% of the traffic by default; the alert is for a DLQ rate well above that.
  alertDlqRate: '0.05',
};

export interface PreparedRun {
  dir: string;
  ownStack: boolean;
  info: StackInfo;
  ports: Ports;
  engineSettings: Record<string, string>;
  /** What the run measures: the broker's stand-in here, or an existing service. */
  sut: SystemUnderTest;
  /** The multiplier of the limits the broker's service model holds for the run; null: off. */
  quota: number | null;
  /** The service model put in front of the broker's stand-in, from the fidelity profile. */
  serviceModel: ServiceModel | null;
  /** The quota that holds the profile's stated capacity for the run (Kafka's client quota); null: none, or the service model carries it. */
  capacityQuota: QuotaSetting | null;
  manifest: RunManifest;
  k6: K6Command;
  /** The load split over k6 agents; null: the one k6 above. */
  agents: Agent[] | null;
  /** The k6 archive remote agents read on stdin; null when no agent is remote. */
  archive: string | null;
  shape: LoadShape;
}

import { RESULTS } from '../contract/layout.ts';
import { writeJson } from './results-files.ts';

export { writeJson };

/** The processes a run starts itself, beside the stack. */
const RUN_DAEMONS = ['engine', 'fulfillment', 'k6', BALANCER_DAEMON] as const;

/** A run's own daemon whose run is still alive: another run is measuring on this stack. */
function assertNoLiveRun(paths: Paths): void {
  // k6 agents and the engine's extra instances (`--producers`) are numbered.
  const agents = listDaemons(paths.state).filter((d) => /^(k6|engine)-\d+$/.test(d.name));
  for (const d of [...RUN_DAEMONS.map((n) => readDaemon(paths.state, n)), ...agents]) {
    if (!d || !isRunning(paths.state, d)) continue;
    const name = d.name;
    const owner = d.owner !== undefined && pidAlive(d.owner) ? d.owner : null;
    if (owner !== null && owner !== process.pid) {
      throw new StackError(
        `another run (pid ${owner}) is using this stack: its ${name} (pid ${d.pid}) is running ` +
          `in ${paths.state}; wait for it, or stop it ('hunt stack down')`,
      );
    }
  }
}

/**
 * A process already on the engine or fulfillment port would answer the readiness probe in
 * place of the run's own, and the run would measure it: refuse before anything starts.
 */
export async function assertRunPortsFree(ports: Ports): Promise<void> {
  for (const name of ['engine', 'fulfillment'] as const) {
    if (await portInUse(ports[name])) {
      throw new StackError(
        `port ${ports[name]} (${name}) is already in use by another process; a run would ` +
          `measure it instead of its own ${name}: free the port or choose another ` +
          `(HUNT_PORT_OFFSET or HUNT_PORT_${name.toUpperCase()})`,
      );
    }
  }
}

export const runTopic = (runId: string) => `hunt-${runId}`.slice(0, 120);

function withoutKeys(o: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}

export async function prepareRun(o: RunOptions, say: (line: string) => void): Promise<PreparedRun> {
  const running = readStackInfo(o.paths);
  const ports = running?.ports ?? resolvePorts();
  if (running) {
    // What a killed run left (its engine, k6, toxics, quotas) is undone; a live run is not.
    assertNoLiveRun(o.paths);
    await clearLeftovers(o.paths, ports, say);
  }
  await assertRunPortsFree(ports);
  const dir = resolve(o.out);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const sut = o.target
    ? targetSystem(o.target, o.runId)
    : localSystem({ backend: o.backend, runTopic: runTopic(o.runId), partitions: o.partitions });
  const local = sut.local;
  // A remote broker is reached directly: a service model is not on the path. The stand-ins
  // whose driver has one hold the run's quotas (`--kinesis-quota`).
  const modelled = local?.serviceModel !== undefined;
  const quota = modelled && o.kinesisQuota !== null ? o.kinesisQuota : null;
  // The profile's consumer cadence; the target file's settings, then an explicit --set win.
  const fidelitySettings = local?.profileSettings?.(o.fidelity.profile) ?? {};
  const engineSettings = withoutKeys({ ...RUN_ENGINE_SETTINGS, ...fidelitySettings }, sut.ownKeys);
  if (sut.group !== null) engineSettings.group = sut.group;
  Object.assign(engineSettings, o.engineSettings);
  assertProducersFit(o.producers ?? 1, engineSettings);
  await sut.check(say);
  // A stack of the run's own runs what the profile and plan ask (a cluster, streams on disk);
  // a running stack is as it is.
  const options =
    running?.options ??
    stackOptionsForRun({
      profile: o.fidelity.profile,
      plan: o.plan,
      backends: [o.backend],
      env: process.env,
    });

  const base: K6CommandOptions = {
    scenario: o.scenario,
    env: {
      BASE_URL: `http://${HOST}:${ports.engine}`,
      SEED: String(o.seed),
      SCALE: String(o.scale),
      ...(o.poisonRate === undefined ? {} : { POISON_RATE: String(o.poisonRate) }),
      PROFILE: o.profile,
      BUDGETS: resolve(o.budgetsFile),
      ...(o.duration ? { DURATION: o.duration } : {}),
    },
  };
  const k6 = k6Command({ ...base, resultsDir: dir });
  const shape = await inspectShape(k6);
  const split = o.agents ? await prepareAgents(o, base, dir, o.agents) : null;

  const manifest: RunManifest = await newManifest(
    {
      runId: o.runId,
      backend: o.backend,
      scenario: o.scenario,
      plan: o.plan.name,
      profile: o.profile,
      seed: o.seed,
      scale: o.scale,
      ...(o.poisonRate === undefined ? {} : { poisonRate: o.poisonRate }),
      backlogCritical: Number(engineSettings.backlogCritical),
      emulation: local?.emulation({ options, partitions: o.partitions, quota }) ?? {},
    },
    o.paths,
  );
  const facts = { options, partitions: o.partitions, quota };
  const serviceModel = local?.serviceModel?.(o.fidelity.profile, o.seed, facts) ?? null;
  const capacity = local?.capacity?.(o.fidelity.profile, facts) ?? null;
  const fidelity = sut.fidelity(o.fidelity, facts);
  // What was emulated says the capacity held here; a target's is the service's own, in fidelity.
  if (fidelity.capacity && !sut.record) manifest.emulation.capacity = fidelity.capacity.line;
  Object.assign(manifest, {
    fidelity,
    ...(sut.record ? { target: sut.record } : {}),
    topic: sut.topic,
    planFile: o.planFile,
    budgetsFile: o.budgetsFile,
    duration: o.duration ?? null,
    // The load's highest instantaneous rate: a compressed burst peaks between 1 Hz samples.
    offeredPeakRps: shape.peakRps,
    engineSettings,
    ...((o.producers ?? 1) > 1 ? { producers: o.producers } : {}),
    ...(o.agents
      ? {
          agents: {
            count: o.agents.count,
            hosts: o.agents.hosts,
            command: o.agents.hosts ? o.agents.command : null,
          },
        }
      : {}),
  });
  writeJson(join(dir, RESULTS.run), manifest);

  // Last, so that nothing above can fail with a stack of the run's own left up.
  const only = sut.stackOnly ? { only: sut.stackOnly } : {};
  const info = running ?? (await stackUp(o.paths, ports, say, { options, ...only }));
  return {
    dir,
    ownStack: running === undefined,
    info,
    ports,
    sut,
    engineSettings,
    quota,
    serviceModel,
    capacityQuota: capacity?.quota ?? null,
    manifest,
    k6,
    agents: split?.agents ?? null,
    archive: split?.archive ?? null,
    shape,
  };
}
