/**
 * The runner's controls wired to a stack started by `hunt stack up`: Toxiproxy's API, the
 * daemons' pid files (stack/process.ts), the quota layers and the fulfillment service's
 * capacity.
 */
import { connect } from 'node:net';
import { allBrokerPorts, brokerName, kafkaBootstrap } from '../drivers/kafka/cluster.ts';
import { brokersReady } from '../drivers/kafka/component.ts';
import { busiestPartitionLeader } from '../drivers/kafka/leader.ts';
import { HOST, type Paths, type Ports } from '../stack/config.ts';
import { isRunning, killDaemon, readDaemon, restartDaemon, waitFor } from '../stack/process.ts';
import { COMPONENTS, clusterOf, readStackInfo } from '../stack/stack.ts';
import { toolPaths } from '../stack/tools.ts';
import { downstreamControl } from './downstream-control.ts';
import type { DownstreamControl, ProcessControl, QuotaControl } from './faults/types.ts';
import { quotaControl } from './quota-control.ts';

/** The port that answers once a daemon serves again. */
function readyPort(name: string, ports: Ports): number | undefined {
  const byName: Record<string, number> = {
    kafka: ports.kafka,
    kinesalite: ports.kinesis,
    fulfillment: ports.fulfillment,
    engine: ports.engine,
    toxiproxy: ports.toxiproxy,
    'kinesis-quota': ports.kinesisQuota,
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
  const cluster = clusterOf(readStackInfo(paths));
  const direct = allBrokerPorts(ports, cluster.brokers).map((b) => b.client);
  return {
    async kill(name) {
      let daemon = name;
      if (name === 'kafka' && cluster.brokers > 1) {
        const found = await busiestPartitionLeader(direct);
        daemon = brokerName(cluster, found?.leader ?? 1);
      }
      await killDaemon(paths.state, daemon);
      return daemon;
    },
    async restart(name) {
      const record = restartDaemon(paths.state, name);
      // A stack component has its own readiness probe, a cluster's broker is ready once it is
      // registered again; anything else counts once its port opens.
      const component = COMPONENTS.find((c) => c.name === name);
      const brokerId = /^kafka-(\d+)$/.exec(name)?.[1];
      const port = readyPort(name, ports);
      const probe = component
        ? () => component.ready({ paths, ports, tools: toolPaths(paths), cluster })
        : brokerId !== undefined
          ? () => brokersReady(direct, (ids) => ids.includes(Number(brokerId)))
          : port !== undefined
            ? () => tcpOpen(port)
            : undefined;
      if (!probe) return;
      await waitFor(`${name} restart`, probe, {
        timeoutMs: component?.readyTimeoutMs ?? readyTimeoutMs,
        alive: () => isRunning(paths.state, readDaemon(paths.state, name) ?? record),
      });
    },
  };
}

export function stackQuotaControl(paths: Paths, ports: Ports): QuotaControl {
  return quotaControl({
    kinesisAdminUrl: `http://${HOST}:${ports.kinesisQuota}`,
    kafka: {
      libs: toolPaths(paths).kafkaLibs,
      bootstrap: kafkaBootstrap(ports, clusterOf(readStackInfo(paths)), true).join(','),
    },
  });
}

/** The fulfillment service's admin route, straight to its port (not through the proxy). */
export function stackDownstreamControl(ports: Ports): DownstreamControl {
  return downstreamControl(`http://${HOST}:${ports.fulfillment}`);
}

/** Toxiproxy's API of a stack: the stack's own definition, re-exported for the runner's callers. */
export { toxiproxyUrl } from '../stack/components/toxiproxy.ts';
