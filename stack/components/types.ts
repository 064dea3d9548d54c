import type { KafkaCluster } from '../../drivers/kafka/cluster.ts';
import type { Paths, Ports } from '../config.ts';
import type { DaemonSpec } from '../process.ts';
import type { ToolPaths } from '../tools.ts';

export type ComponentName = 'kafka' | 'kinesalite' | 'kinesis-quota' | 'toxiproxy';

/** Where kinesalite keeps streams: in memory (the default), or LevelDB in the state dir so that a killed kinesalite restarts with its streams, as Kinesis would keep them. */
export type KinesisStore = 'memory' | 'disk';

export interface ComponentContext {
  ports: Ports;
  paths: Paths;
  tools: ToolPaths;
  kinesisStore?: KinesisStore;
  /** The Kafka cluster's shape; one broker when absent. */
  cluster?: KafkaCluster;
}

/** One part of the local stack: how to prepare, start, probe and name its version. */
export interface Component {
  name: ComponentName;
  /** Ports it will listen on, by role; all are checked free before anything starts. */
  listens(ports: Ports, cluster?: KafkaCluster): Record<string, number>;
  /** Its daemons' names, when not just its own name (a Kafka cluster's brokers). */
  daemons?(ctx: ComponentContext): string[];
  /** Writes config and data files; returns how to start its daemon (or daemons, started together). */
  prepare(ctx: ComponentContext): Promise<DaemonSpec | DaemonSpec[]>;
  /** Resolves once the component serves requests; throws otherwise. */
  ready(ctx: ComponentContext): Promise<void>;
  /** Settings applied once it is ready (Toxiproxy's cross-zone latency). */
  afterReady?(ctx: ComponentContext): Promise<void>;
  version(ctx: ComponentContext): Promise<string>;
  readyTimeoutMs: number;
}
