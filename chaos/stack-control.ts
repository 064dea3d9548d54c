/**
 * The runner's controls wired to a stack started by `hunt stack up`: Toxiproxy's API, the
 * daemons' pid files (stack/process.ts) and the quota layers.
 */
import { connect } from 'node:net';
import { HOST, type Paths, type Ports } from '../stack/config.ts';
import { isRunning, killDaemon, readDaemon, restartDaemon, waitFor } from '../stack/process.ts';
import { toolPaths } from '../stack/tools.ts';
import type { ProcessControl, QuotaControl } from './faults/types.ts';
import { quotaControl } from './quota/control.ts';

/** Until stack/config.ts has it: the quota layer's port (default 4568, shifted by the offset). */
export function kinesisQuotaPort(ports: Ports): number {
  const own = (ports as unknown as Record<string, number | undefined>).kinesisQuota;
  return own ?? ports.kinesis + 1;
}

/** The port that answers once a daemon serves again. */
function readyPort(name: string, ports: Ports): number | undefined {
  const byName: Record<string, number> = {
    kafka: ports.kafka,
    kinesalite: ports.kinesis,
    fulfillment: ports.fulfillment,
    engine: ports.engine,
    toxiproxy: ports.toxiproxy,
    'kinesis-quota': kinesisQuotaPort(ports),
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
  return {
    async kill(name) {
      await killDaemon(paths.state, name);
    },
    async restart(name) {
      const record = restartDaemon(paths.state, name);
      const port = readyPort(name, ports);
      if (port === undefined) return;
      await waitFor(`${name} restart`, () => tcpOpen(port), {
        timeoutMs: readyTimeoutMs,
        alive: () => isRunning(paths.state, readDaemon(paths.state, name) ?? record),
      });
    },
  };
}

export function stackQuotaControl(paths: Paths, ports: Ports): QuotaControl {
  return quotaControl({
    kinesisAdminUrl: `http://${HOST}:${kinesisQuotaPort(ports)}`,
    kafka: { libs: toolPaths(paths).kafkaLibs, bootstrap: `${HOST}:${ports.kafka}` },
  });
}

export function toxiproxyUrl(ports: Ports): string {
  return `http://${HOST}:${ports.toxiproxy}`;
}
