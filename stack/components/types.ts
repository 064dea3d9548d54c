import type { Paths, Ports } from '../config.ts';
import type { DaemonSpec } from '../process.ts';
import type { ToolDirs, ToolPaths } from '../tools.ts';

type ToolName = keyof ToolDirs;

/**
 * Each broker's stand-in options for the stack, under its driver's name (a Kafka cluster's
 * size, where kinesalite keeps its streams). The stack keeps them in stack.json and hands
 * them to every component; only the component that owns a key reads it.
 */
export type StackOptions = Readonly<Record<string, unknown>>;

/** A proxy Toxiproxy serves in front of a component (Toxiproxy's own populate format). */
export interface ProxyConfig {
  name: string;
  listen: string;
  upstream: string;
  enabled: boolean;
}

export interface ComponentContext {
  ports: Ports;
  paths: Paths;
  tools: ToolPaths;
  options: StackOptions;
  /** Every proxy Toxiproxy serves on this stack: the components' own and chaos/proxies.json's. */
  proxies: ProxyConfig[];
}

/** One part of the local stack: how to prepare, start, probe and name its version. */
export interface Component {
  name: string;
  /** The tools (stack/tools.ts) it needs installed. */
  requires?: readonly ToolName[];
  /** Ports it will listen on, by role; all are checked free before anything starts. */
  listens(ctx: Pick<ComponentContext, 'ports' | 'options'>): Record<string, number>;
  /**
   * Every port it may take in any shape, its proxies' included (a cluster of the most
   * brokers), beyond the named ports: a private stack's port offset keeps them all free.
   */
  reserves?(ports: Ports): number[];
  /** Its daemons' names, when not just its own name (a cluster's brokers). */
  daemons?(ctx: Pick<ComponentContext, 'ports' | 'options'>): string[];
  /** Whether its daemons stop together: a cluster stopped one by one waits for a lost quorum. */
  stopTogether?: boolean;
  /** The Toxiproxy proxies that put it behind the fault proxy. */
  proxies?(ctx: Pick<ComponentContext, 'ports' | 'options'>): ProxyConfig[];
  /** Writes config and data files; returns how to start its daemon (or daemons, started together). */
  prepare(ctx: ComponentContext): Promise<DaemonSpec | DaemonSpec[]>;
  /** Resolves once the component serves requests; throws otherwise. */
  ready(ctx: ComponentContext): Promise<void>;
  /** Settings applied once every component, Toxiproxy too, is ready (baseline toxics). */
  afterStack?(ctx: ComponentContext): Promise<void>;
  /** Removes what it keeps in the state dir once stopped (its data). */
  cleanup?(ctx: ComponentContext): void;
  version(ctx: ComponentContext): Promise<string>;
  readyTimeoutMs: number;
}
