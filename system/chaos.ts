/**
 * The chaos runner's controls wired to a stack started by `hunt stack up`: Toxiproxy's API,
 * the daemons' pid files (stack/process.ts), each broker's quotas and the fulfillment
 * service's capacity; and the names a plan may use, from every driver's stand-in.
 */
import { connect } from 'node:net';
import { downstreamControl } from '../chaos/downstream-control.ts';
import type { DownstreamControl, ProcessControl, QuotaControl } from '../chaos/faults/types.ts';
import type { RunTargets, TargetCatalogue } from '../chaos/targets.ts';
import { driverOf, localDrivers } from '../drivers/registry.ts';
import type { LocalContext } from '../drivers/types.ts';
import { HOST, type Paths, type Ports } from '../stack/config.ts';
import { isRunning, killDaemon, readDaemon, restartDaemon, waitFor } from '../stack/process.ts';
import { context, readStackInfo } from '../stack/stack.ts';
import { components } from './stack.ts';

/** Every broker a plan may name: each driver's stand-in. */
export const planTargets = (): TargetCatalogue => localDrivers().map((d) => d.local.chaos);

/** What a plan's names mean on a run of `backend`. */
export function runTargets(backend: string): RunTargets {
  return { backend, broker: driverOf(backend).local?.chaos ?? null };
}

const localContext = (paths: Paths, ports: Ports): LocalContext => ({
  paths,
  ports,
  stack: readStackInfo(paths),
});

/** The port that answers once one of the harness's own services serves again. */
function readyPort(name: string, ports: Ports): number | undefined {
  const byName: Record<string, number> = {
    fulfillment: ports.fulfillment,
    engine: ports.engine,
  };
  return byName[name];
}

function tcpOpen(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: HOST, port }, () => {
      s.destroy();
      resolve();
    });
    s.on('error', reject);
  });
}

export function stackProcessControl(
  paths: Paths,
  ports: Ports,
  readyTimeoutMs = 60_000,
): ProcessControl {
  const c = localContext(paths, ports);
  const drivers = localDrivers();
  return {
    async kill(name) {
      // A name may stand for one of several daemons (a cluster's busiest leader).
      let daemon = name;
      for (const d of drivers) daemon = (await d.local.killTarget?.(daemon, c)) ?? daemon;
      await killDaemon(paths.state, daemon);
      return daemon;
    },
    async restart(name) {
      const record = restartDaemon(paths.state, name);
      // A stack component has its own readiness probe, a driver says how to probe a daemon of
      // several (a cluster's broker); anything else counts once its port opens.
      const all = components();
      const component = all.find((x) => x.name === name);
      const ctx = context(all, paths, ports, c.stack?.options);
      const port = readyPort(name, ports);
      const probe = component
        ? () => component.ready(ctx)
        : (drivers.map((d) => d.local.readyProbe?.(name, c)).find((p) => p !== undefined) ??
          (port !== undefined ? () => tcpOpen(port) : undefined));
      if (!probe) return;
      await waitFor(`${name} restart`, probe, {
        timeoutMs: component?.readyTimeoutMs ?? readyTimeoutMs,
        alive: () => isRunning(paths.state, readDaemon(paths.state, name) ?? record),
      });
    },
  };
}

/** Each provider's quotas, by the name a plan gives them (`local.chaos.quota.provider`). */
export function stackQuotaControl(paths: Paths, ports: Ports): QuotaControl {
  const c = localContext(paths, ports);
  return {
    set(provider, setting) {
      const d = localDrivers().find((x) => x.local.chaos.quota?.provider === provider);
      if (!d?.local.quota) throw new Error(`no quota control for provider ${provider}`);
      return d.local.quota.set(c, setting);
    },
  };
}

/** The fulfillment service's admin route, straight to its port (not through the proxy). */
export function stackDownstreamControl(ports: Ports): DownstreamControl {
  return downstreamControl(`http://${HOST}:${ports.fulfillment}`);
}

/** Toxiproxy's API of a stack: the stack's own definition, re-exported for the runner's callers. */
export { toxiproxyUrl } from '../stack/components/toxiproxy.ts';
