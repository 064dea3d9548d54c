/**
 * `hunt engine --backend kafka|kinesis|memory`: runs the reference treasure-hunt engine
 * against the running stack until SIGTERM/SIGINT, then stops gracefully.
 */
import { getHeapStatistics } from 'node:v8';
import type { Command } from 'commander';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { loadCatalogue } from '../../engine/catalogue.ts';
import { startEngine } from '../../engine/engine.ts';
import { jsonLog } from '../../engine/log.ts';
import { redactingLog, secretValues } from '../../engine/secrets.ts';
import { resolvePaths } from '../../stack/config.ts';
import { createBackend, startFailure } from '../../system/engine.ts';
import { addEngineFlags, engineConfigOf } from '../engine-flags.ts';
import { untilSignal } from '../signals.ts';

export function register(program: Command): void {
  addEngineFlags(
    program
      .command('engine')
      .description('run the treasure-hunt engine (API, producer, consumer) against the stack'),
  )
    .option('--allow-remote', 'allow non-loopback brokers, endpoints and URLs')
    .option('--config <file>', 'YAML/JSON file of settings (any key of engine/config.ts)')
    .option(
      '--set <key=value...>',
      'any other setting, e.g. --set publishTimeoutMs=1000 backlogCritical=50000',
    )
    .action(async (opts: Record<string, unknown>) => {
      const config = await engineConfigOf(opts);
      // kafkajs puts the broker's words in its errors; none of them may carry the password.
      const log = redactingLog(jsonLog('engine'), secretValues(config));
      // heapMiB takes effect only as node's --max-old-space-size: say what this process got.
      if (config.heapMiB !== undefined)
        log('heap limit', {
          heapMiB: config.heapMiB,
          limitMiB: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
        });
      const catalogue = await loadCatalogue(config.data);
      const registry = new Registry();
      collectDefaultMetrics({ register: registry, prefix: 'hunt_process_' });
      // One client id for every instance: Kafka's client quotas (a profile's capacity) are
      // per client id, so the instances share the capacity as one application's producers do.
      const backend = createBackend(config, resolvePaths(), log, 'hunt-engine');
      const engine = await startEngine({ config, catalogue, backend, registry, log }).catch(
        async (err: unknown) => {
          await backend.close().catch(() => {});
          throw startFailure(config, err);
        },
      );
      await untilSignal(() => engine.stop());
    });
}
