/**
 * `hunt dlq list | count | redrive`: reads the engine's dead-letter topic/stream from the
 * start; re-drive re-publishes the original events to the main topic.
 */
import type { Command } from 'commander';
import type { DlqEntry } from '../../engine/dlq/entry.ts';
import { countByReason, readDlq, redrive } from '../../engine/dlq/inspect.ts';
import { jsonLog } from '../../engine/log.ts';
import { redactingLog, secretValues } from '../../engine/secrets.ts';
import { resolvePaths } from '../../stack/config.ts';
import { createBackend, startFailure } from '../../system/engine.ts';
import { engineConfigOf } from '../engine-flags.ts';

interface DlqOptions extends Record<string, unknown> {
  reason?: string;
  limit?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const dlq = program.command('dlq').description("list, count and re-drive the engine's DLQ");
  const common = (c: Command) =>
    c
      .requiredOption('--backend <name>', 'kafka | kinesis')
      .option('--topic <name>', 'main topic / stream (default hunt-events)')
      .option('--dlq-topic <name>', 'DLQ topic / stream (default <topic>-dlq)')
      .option('--brokers <list>', 'Kafka brokers (default: the kafka proxy)')
      .option('--kinesis-endpoint <url>', 'Kinesis endpoint (default: the kinesis proxy)')
      .option('--config <file>', 'the engine config file, for the same endpoints')
      .option('--allow-remote', 'allow non-loopback brokers and endpoints')
      .option('--reason <reason>', 'only entries with this reason');

  common(dlq.command('list').description('print DLQ entries, one JSON object per line'))
    .option('--limit <n>', 'print at most n entries')
    .action(async (opts: DlqOptions) =>
      withDlq(opts, async ({ entries }) => {
        const limit = opts.limit === undefined ? entries.length : Number(opts.limit);
        for (const e of entries.slice(0, limit)) console.log(JSON.stringify(e));
      }),
    );
  common(dlq.command('count').description('count DLQ entries by reason'))
    .option('--json', 'print JSON')
    .action(async (opts: DlqOptions) =>
      withDlq(opts, async ({ entries, unreadable }) => {
        const byReason = countByReason(entries);
        if (opts.json) console.log(JSON.stringify({ total: entries.length, byReason, unreadable }));
        else {
          for (const [reason, n] of Object.entries(byReason))
            console.log(`${reason.padEnd(24)} ${n}`);
          console.log(
            `${'total'.padEnd(24)} ${entries.length}${unreadable ? ` (+${unreadable} unreadable)` : ''}`,
          );
        }
      }),
    );
  common(
    dlq.command('redrive').description('re-publish DLQ entries to the main topic (same ids)'),
  ).action(async (opts: DlqOptions) =>
    withDlq(opts, async ({ entries, backend, topic }) => {
      const r = await redrive(backend, topic, entries, Date.now);
      console.log(JSON.stringify(r));
    }),
  );
}

async function withDlq(
  opts: DlqOptions,
  fn: (x: {
    entries: DlqEntry[];
    unreadable: number;
    backend: ReturnType<typeof createBackend>;
    topic: string;
  }) => Promise<void>,
): Promise<void> {
  const paths = resolvePaths();
  const config = await engineConfigOf(opts);
  const log = redactingLog(jsonLog('dlq'), secretValues(config));
  const backend = createBackend(config, paths, log, 'hunt-dlq');
  try {
    const { entries, unreadable } = await readDlq(backend, config.dlqTopic).catch((err) => {
      throw startFailure(config, err);
    });
    const chosen = opts.reason ? entries.filter((e) => e.reason === opts.reason) : entries;
    await fn({ entries: chosen, unreadable, backend, topic: config.topic });
  } finally {
    await backend.close();
  }
}
