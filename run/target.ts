/**
 * `hunt run --target <file>`: the system under test's broker lives elsewhere (a managed Kafka
 * cluster, Kinesis in an AWS account). The file holds engine settings (engine/config.ts),
 * checked with the engine's own schema; the run connects the engine and the audit's reader
 * to it with those settings and records what it was in run.json, never a secret.
 */

import { UserError } from '../common/user-error.ts';
import type { RunTargetRecord } from '../contract/schema.ts';

export { describeTarget } from '../reports/target-line.ts';

import { driverNames, driverOf } from '../drivers/registry.ts';
import { defaultConfig, type EngineConfig, readConfigFile } from '../engine/config.ts';
import { EngineConfigError } from '../engine/errors.ts';
import { resolveConfig, startFailure } from '../system/engine.ts';
import { missingTopics, targetConnection } from './audit/read.ts';

export class TargetFileError extends UserError {
  override name = 'TargetFileError';
}

/** Settings the run itself sets for its own engine: a target file may not hold them. */
const RUN_OWNED = ['host', 'port', 'data', 'ledger', 'runId', 'fulfillmentUrl'] as const;

/** What run.json says of the target: where and what, never a credential. */
export type TargetRecord = RunTargetRecord;

export interface RunTarget {
  file: string;
  /** The keys the file sets: the run's own defaults for them give way. */
  keys: string[];
  /** The resolved settings, secrets included: for connecting, never for writing out. */
  config: EngineConfig;
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
    runTopic: (backend: string) => string;
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
  // The brokers a run can meet as a real service: the drivers with a target side.
  const names = driverNames().filter((n) => driverOf(n).target !== undefined);
  const backend =
    typeof raw.backend === 'string' && names.includes(raw.backend) ? raw.backend : null;
  if (backend === null)
    return fail(
      `backend: must be ${names.join(' or ')} (got ${JSON.stringify(raw.backend ?? null)})`,
    );
  for (const key of RUN_OWNED) if (key in raw) fail(`${key}: set by the run, not by a target`);
  const missing = driverOf(backend).target?.missing(raw);
  if (missing) fail(missing);
  // No endpoint of the local stack: what the file leaves out is the service's own.
  const defaults = defaultConfig({
    engine: 0,
    kafka: '127.0.0.1:1',
    kinesis: '',
    fulfillment: 'http://127.0.0.1:1',
  });
  defaults.topic = o.runTopic(backend);
  let config: EngineConfig;
  try {
    config = resolveConfig({
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
  return { file, keys: Object.keys(raw), config, record: targetRecord(file, config) };
}

/** What run.json keeps of the target: where it is and how it was reached (its driver says). */
function targetRecord(file: string, c: EngineConfig): TargetRecord {
  const where = driverOf(c.backend).target?.record(c);
  if (!where)
    throw new TargetFileError(`--target ${file}: backend ${c.backend} has no target side`);
  return {
    file,
    backend: c.backend,
    ...where,
    topic: c.topic,
    dlqTopic: c.dlqTopic,
    createTopic: c.createTopic,
  };
}

/**
 * Before anything starts: an existing topic/stream (createTopic false) must be there, and
 * the target must answer at all. Said in one line naming the target file.
 */
export async function assertTargetTopics(t: RunTarget, say: (line: string) => void): Promise<void> {
  const conn = targetConnection(t.config);
  const what = driverOf(t.config.backend).noun;
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
