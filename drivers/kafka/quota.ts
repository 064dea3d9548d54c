/**
 * Kafka's own client quotas, the broker-side counterpart of Kinesis's per-shard limits: a
 * default producer_byte_rate for every client, set with Kafka's ConfigCommand (kafkajs has no
 * AlterClientQuotas). In Kafka 4.1 the tool is kafka.admin.ConfigCommand in the core jar.
 */
import { execa } from 'execa';
import type { QuotaSetting } from '../../chaos/faults/types.ts';

/** Bytes in a MiB: the default producer_byte_rate per client is multiplier × 1 MiB/s. */
const MiB = 1024 * 1024;

export interface KafkaAdminTool {
  /** Directory of the broker's jars (stack/tools.ts: toolPaths().kafkaLibs). */
  libs: string;
  bootstrap: string;
  java?: string;
}

const ENTITY = ['--entity-type', 'clients', '--entity-default'];

async function configCommand(tool: KafkaAdminTool, args: string[]): Promise<string> {
  const { stdout } = await execa(
    tool.java ?? 'java',
    [
      '-Xmx128m',
      '-cp',
      `${tool.libs}/*`,
      'kafka.admin.ConfigCommand',
      '--bootstrap-server',
      tool.bootstrap,
      ...args,
    ],
    { timeout: 60_000 },
  );
  return stdout;
}

/** The default client producer_byte_rate in force, if any. */
export async function kafkaProducerByteRate(tool: KafkaAdminTool): Promise<number | undefined> {
  const out = await configCommand(tool, ['--describe', ...ENTITY]);
  const m = /producer_byte_rate=(\d+(?:\.\d+)?)/.exec(out);
  return m ? Number(m[1]) : undefined;
}

/** Sets (on) or removes (off) the default producer_byte_rate; answers the setting it replaced. */
export async function setKafkaQuota(
  tool: KafkaAdminTool,
  setting: QuotaSetting,
): Promise<QuotaSetting> {
  if (setting.mode === 'lie') throw new Error('kafka quotas: lie is a Kinesis quota-layer mode');
  const before = await kafkaProducerByteRate(tool);
  if (setting.mode === 'off') {
    if (before !== undefined)
      await configCommand(tool, ['--alter', '--delete-config', 'producer_byte_rate', ...ENTITY]);
  } else {
    const rate = setting.producerByteRate ?? Math.round(setting.multiplier * MiB);
    await configCommand(tool, ['--alter', '--add-config', `producer_byte_rate=${rate}`, ...ENTITY]);
  }
  return before === undefined
    ? { mode: 'off', multiplier: 1 }
    : { mode: 'on', multiplier: before / MiB, producerByteRate: before };
}
