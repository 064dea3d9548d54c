/**
 * The local stack of this harness: every driver's stand-in (in registry order), then
 * Toxiproxy in front of them. stack/stack.ts brings any list of components up and down;
 * this file says which, and turns flags, a profile and a plan into each stand-in's options.
 */
import type { Plan } from '../chaos/plan.ts';
import { UserError } from '../common/user-error.ts';
import type { FidelityProfile } from '../contract/fidelity-schema.ts';
import { driverOf, localDrivers } from '../drivers/registry.ts';
import { toxiproxy } from '../stack/components/toxiproxy.ts';
import type { Component, ProxyConfig, StackOptions } from '../stack/components/types.ts';
import type { Paths, Ports } from '../stack/config.ts';
import * as stack from '../stack/stack.ts';

/**
 * The stack's components in start order (every registered driver's stand-in, then
 * Toxiproxy); `down` goes in reverse so the proxy is the first thing to disappear.
 */
export const components = (): readonly Component[] => [
  ...localDrivers().flatMap((d) => d.local.components),
  toxiproxy,
];

type Log = (line: string) => void;

export const stackUp = (
  paths: Paths,
  ports: Ports,
  log: Log,
  opts: { options?: StackOptions; only?: string[] } = {},
) => stack.stackUp(components(), paths, ports, log, opts);
export const stackDown = (paths: Paths, log: Log) => stack.stackDown(components(), paths, log);
export const stopStrays = (paths: Paths, log: Log) => stack.stopStrays(components(), paths, log);
export const stackStatus = (paths: Paths, fallbackPorts: Ports) =>
  stack.stackStatus(components(), paths, fallbackPorts);

/** Every proxy Toxiproxy serves on a stack with these options. */
export const stackProxies = (ports: Ports, options: StackOptions = {}): ProxyConfig[] =>
  stack.stackProxies(components(), { ports, options });

/** The stack options of `hunt stack up`: each stand-in's, from its flags and the environment. */
export function stackOptionsFromFlags(
  flags: Record<string, string | undefined>,
  env: Record<string, string | undefined>,
): StackOptions {
  return Object.fromEntries(
    localDrivers().map((d) => [d.name, d.local.stackOptions({ flags, env })]),
  );
}

/** The stack options of a run that brings its own stack: from its profile and plan. */
export function stackOptionsForRun(p: {
  profile: FidelityProfile;
  plan: Plan;
  /** The backends the stack serves: a stand-in for another backend keeps its defaults. */
  backends: readonly string[];
  env: Record<string, string | undefined>;
}): StackOptions {
  return Object.fromEntries(
    localDrivers().map((d) => [
      d.name,
      d.local.stackOptions({
        env: p.env,
        profile: p.profile,
        ...(p.backends.includes(d.name) ? { plan: p.plan } : {}),
      }),
    ]),
  );
}

/** Refuses, before anything starts, a plan the running stack cannot carry out faithfully. */
export function assertStackFits(plan: Plan, backends: readonly string[], paths: Paths): void {
  const info = stack.readStackInfo(paths);
  if (!info) return; // the run brings its own stack up, with the options it needs
  for (const backend of backends) {
    const why = driverOf(backend).local?.misfit?.(plan, info);
    if (why) throw new UserError(why);
  }
}
