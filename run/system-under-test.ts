/**
 * What a run measures: its broker's stand-in on the local stack, or an existing service
 * named by a target file (`--target`). Both answer the same questions, so the run's phases
 * never ask which one they have: where the topic is, how the engine and the audit's reader
 * reach the broker, where the audit starts reading, and what the run records of it.
 */

import type { RunFidelity } from '../contract/fidelity-schema.ts';
import type { RunTargetRecord } from '../contract/schema.ts';
import { driverOf } from '../drivers/registry.ts';
import type { Driver, LocalSide, StackFacts } from '../drivers/types.ts';
import type { LoadedProfile } from '../run/fidelity.ts';
import type { Ports } from '../stack/config.ts';
import {
  type AuditConnection,
  markRunStart,
  type RunStart,
  stackConnection,
  targetConnection,
} from './audit/read.ts';
import { runFidelity } from './fidelity.ts';
import type { EngineLaunch } from './services.ts';
import { assertTargetTopics, describeTarget, type RunTarget } from './target.ts';

export interface SystemUnderTest {
  driver: Driver;
  /** The stand-in's side of the driver; undefined for an existing service. */
  local: LocalSide | undefined;
  topic: string;
  dlqTopic: string;
  partitions: number;
  /** Engine settings the target file sets: the run's own defaults for them give way. */
  ownKeys: string[];
  /** A consumer group of the run's own, for an existing topic with a history; null: the engine's. */
  group: string | null;
  /** The stack components the run needs; undefined: all of them. */
  stackOnly: string[] | undefined;
  /** One line naming the real service; null for the local stand-in. */
  described: string | null;
  /** What run.json keeps of a target; undefined for the local stand-in. */
  record: RunTargetRecord | undefined;
  /** Checks before anything starts (an existing topic must exist). */
  check(say: (line: string) => void): Promise<void>;
  /** How the audit's reader reaches the broker, straight, past any proxy and service model. */
  connection(ports: Ports): AuditConnection;
  /** Where the audit starts reading: an existing topic's end when the run began. */
  markStart(conn: AuditConnection): Promise<RunStart>;
  /** How the engine reaches the broker: the stack's proxies (undefined), or the target file. */
  engineTarget: EngineLaunch['target'];
  /** run.json's fidelity record of this system. */
  fidelity(loaded: LoadedProfile, facts: StackFacts): RunFidelity;
}

export function localSystem(o: {
  backend: string;
  runTopic: string;
  partitions: number;
}): SystemUnderTest {
  const driver = driverOf(o.backend);
  return {
    driver,
    local: driver.local,
    topic: o.runTopic,
    dlqTopic: `${o.runTopic}-dlq`,
    partitions: o.partitions,
    ownKeys: [],
    group: null,
    stackOnly: undefined,
    described: null,
    record: undefined,
    check: async () => {},
    connection: (ports) => stackConnection(driver, ports),
    // A topic of the run's own starts empty: the audit reads it from its start.
    markStart: async () => ({}),
    engineTarget: undefined,
    fidelity: (loaded, facts) => runFidelity(loaded, driver, facts),
  };
}

export function targetSystem(t: RunTarget, runId: string): SystemUnderTest {
  const driver = driverOf(t.config.backend);
  const described = describeTarget(t.record);
  // A group of the run's own on an existing topic: it starts at the run's start (the engine
  // pins a new group there), never at what an earlier run's group left unread.
  const ownGroup = !t.config.createTopic && !t.keys.includes('group');
  return {
    driver,
    local: undefined,
    topic: t.config.topic,
    dlqTopic: t.config.dlqTopic,
    partitions: t.config.partitions,
    ownKeys: t.keys,
    group: ownGroup ? `hunt-engine-${runId}`.slice(0, 200) : null,
    // Only Toxiproxy is needed, for the proxy to the fulfillment service.
    stackOnly: ['toxiproxy'],
    described,
    record: t.record,
    check: (say) => assertTargetTopics(t, say),
    connection: () => targetConnection(t.config),
    markStart: (conn) => markRunStart(conn, t.config.topic, t.config.dlqTopic),
    engineTarget: {
      file: t.file,
      args: driver.target?.engineArgs?.(t.record) ?? [],
      allowRemote: t.config.allowRemote,
    },
    fidelity: (loaded) => runFidelity(loaded, driver, { target: t.record }),
  };
}
