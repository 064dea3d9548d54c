/**
 * The Kinesis quota layer as a process (a stack daemon):
 *   node --import tsx drivers/kinesis/quota/main.ts --port 4568 --upstream http://127.0.0.1:4567 [--mode off|on|0.5]
 * Flags fall back to HUNT_PORT_KINESIS_QUOTA, HUNT_PORT_KINESIS and HUNT_KINESIS_QUOTA.
 */
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { QuotaLayer } from './layer.ts';
import { formatQuotaMode, parseQuotaMode } from './limits.ts';
import { createQuotaServer } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    upstream: { type: 'string' },
    mode: { type: 'string' },
    // Ignored: lets the stack put its state dir on the command line to recognise the daemon.
    state: { type: 'string' },
  },
});

const port = Number(values.port ?? process.env.HUNT_PORT_KINESIS_QUOTA ?? 4568);
const upstream = values.upstream ?? `http://127.0.0.1:${process.env.HUNT_PORT_KINESIS ?? 4567}`;
const mode = parseQuotaMode(values.mode ?? process.env.HUNT_KINESIS_QUOTA ?? 'off');

const registry = new Registry();
const layer = new QuotaLayer({ mode, registry });
const server = createQuotaServer({ layer, registry, upstream });
server.listen(port, values.host, () => {
  console.log(
    `kinesis quota layer on ${values.host}:${port} -> ${upstream}, quotas ${formatQuotaMode(mode)}`,
  );
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => server.close(() => process.exit(0)));
}
