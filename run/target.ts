/**
 * `hunt run --target <file>`: the system under test's broker lives elsewhere (a managed Kafka
 * cluster, Kinesis in an AWS account). The file holds engine settings (engine/config.ts),
 * checked with the engine's own schema; the run connects the engine and the audit's reader
 * to it with those settings and records what it was in run.json, never a secret.
 */

import { UserError } from '../common/user-error.ts';
import type { RunTargetRecord } from '../contract/schema.ts';

export { describeTarget } from '../reports/target-line.ts';

import { startFailure } from '../engine/bootstrap.ts';
import {
  defaultConfig,
  type EngineConfig,
  readConfigFile,
  resolveEngineConfig,
} from '../engine/config.ts';
import { EngineConfigError } from '../engine/errors.ts';
import { missingTopics, targetConnection } from './audit/read.ts';

export class TargetFileError extends UserError {
  override name = 'TargetFileError';
}

/** Settings the run itself sets for its own engine: a target file may not hold them. */
const RUN_OWNED = ['host', 'port', 'data', 'ledger', 'runId', 'fulfillmentUrl'] as const;

/** What run.json says of the target: where and what, never a credential. */
export type TargetRecord = RunTargetRecord & { backend: 'kafka' | 'kinesis' };

export interface RunTarget {
  file: string;
  /** The keys the file sets: the run's own defaults for them give way. */
  keys: string[];
  /** The resolved settings, secrets included: for connecting, never for writing out. */
  config: EngineConfig & { backend: 'kafka' | 'kinesis' };
  record: TargetRecord;
}

/**
 * Reads and checks a target file. `runTopic` is the topic a target without `topic` gets (a
 * fresh one per run, created unless createTopic is false). Errors name the file and key.
 */
export async function loadTarget(
  file: string,
  o: {
    allowRemote: boolean;
    runTopic: (backend: 'kafka' | 'kinesis') => string;
    env: Record<string, string | undefined>;
  },
): Promise<RunTarget> {
  let raw: Record<string, unknown>;
  try {
    raw = await readConfigFile(file);
  } catch (e) {
    const why = (e as Error).message.replace(/^--config: /, '').replace(file, 'the file');
    throw new TargetFileError(`--target ${file}: ${why}`);
  }
  const fail = (msg: string): never => {
    throw new TargetFileError(`--target ${file}: ${msg}`);
  };
  if (raw.backend !== 'kafka' && raw.backend !== 'kinesis')
    fail(`backend: must be kafka or kinesis (got ${JSON.stringify(raw.backend ?? null)})`);
  for (const key of RUN_OWNED) if (key in raw) fail(`${key}: set by the run, not by a target`);
  if (raw.backend === 'kafka' && raw.brokers === undefined) fail('brokers: required for kafka');
  const { kinesisEndpoint: _, ...defaults } = defaultConfig({
    engine: 0,
    kafka: '127.0.0.1:1',
    kinesis: 'http://127.0.0.1:1',
    fulfillment: 'http://127.0.0.1:1',
  });
  defaults.topic = o.runTopic(raw.backend as 'kafka' | 'kinesis');
  let config: EngineConfig;
  try {
    config = resolveEngineConfig({
      defaults,
      file: raw,
      env: o.env,
      // The run's --allow-remote decides, whatever the file says: naming a remote broker is
      // the operator's act at the command line, not a setting that travels with a file.
      flags: { allowRemote: o.allowRemote },
    });
  } catch (e) {
    if (!(e instanceof EngineConfigError)) throw e;
    const why = e.message
      .replace(/^invalid engine configuration:\n\s*/, '')
      .replace(/\n\s*/g, '; ')
      .replace(/\(config file\)/g, '')
      .replace(/ +:/g, ':');
    return fail(why);
  }
  const c = config as EngineConfig & { backend: 'kafka' | 'kinesis' };
  return { file, keys: Object.keys(raw), config: c, record: targetRecord(file, c) };
}

/** Security settings are read by name: they belong to the Kafka security settings. */
function targetRecord(file: string, c: RunTarget['config']): TargetRecord {
  const s = c as unknown as Record<string, unknown>;
  const kafka = c.backend === 'kafka';
  return {
    file,
    backend: c.backend,
    brokers: kafka ? c.brokers : null,
    region: kafka ? null : c.region,
    kinesisEndpoint: kafka ? null : (c.kinesisEndpoint ?? null),
    topic: c.topic,
    dlqTopic: c.dlqTopic,
    createTopic: c.createTopic,
    tls: kafka && s.kafkaTls === true,
    saslMechanism: kafka && typeof s.kafkaSaslMechanism === 'string' ? s.kafkaSaslMechanism : null,
    saslUsername: kafka && typeof s.kafkaSaslUsername === 'string' ? s.kafkaSaslUsername : null,
  };
}

/**
 * Before anything starts: an existing topic/stream (createTopic false) must be there, and
 * the target must answer at all. Said in one line naming the target file.
 */
export async function assertTargetTopics(t: RunTarget, say: (line: string) => void): Promise<void> {
  const conn = targetConnection(t.config);
  const what = t.config.backend === 'kinesis' ? 'stream' : 'topic';
  const names = [t.config.topic, ...(t.config.dlq ? [t.config.dlqTopic] : [])];
  let missing: string[];
  try {
    missing = await missingTopics(conn, names);
  } catch (e) {
    // A Kafka client's failure is the engine's one line naming what to fix (password redacted).
    const why = startFailure(t.config, e) as Error;
    throw new TargetFileError(
      `--target ${t.file}: cannot reach the ${t.config.backend} target: ${why.message}`,
    );
  }
  if (t.config.createTopic) return;
  if (missing.length > 0)
    throw new TargetFileError(
      `--target ${t.file}: ${what}${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(' and ')} ${missing.length > 1 ? 'do' : 'does'} not exist and createTopic is false: create ${missing.length > 1 ? 'them' : 'it'}, or set createTopic: true`,
    );
  say(`[run] target: ${what} ${names.join(', ')} exist${names.length > 1 ? '' : 's'}; used as is`);
}
