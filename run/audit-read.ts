/**
 * The audit's independent reader: a fresh backend client, straight to the broker (not
 * through Toxiproxy or the quota layer), reads the whole topic/stream and its DLQ from the
 * start; plus the engine's ledger and k6's count of 202 answers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS } from '../engine/backends/registry.ts';
import { DlqEntrySchema } from '../engine/dlq/entry.ts';
import { HOST, type Ports } from '../stack/config.ts';

export interface StreamCopy {
  stream: string[];
  dlq: string[];
}

function eventId(value: Buffer): string | null {
  try {
    const id = (JSON.parse(value.toString('utf8')) as { id?: unknown }).id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

function dlqEventId(value: Buffer): string | null {
  try {
    const entry = DlqEntrySchema.safeParse(JSON.parse(value.toString('utf8')));
    return entry.success ? (entry.data.event?.id ?? null) : null;
  } catch {
    return null;
  }
}

export async function readStreamCopy(
  backend: 'kafka' | 'kinesis',
  ports: Ports,
  topic: string,
  dlqTopic: string,
): Promise<StreamCopy> {
  const client = BACKENDS[backend]({
    endpoints: [backend === 'kafka' ? `${HOST}:${ports.kafka}` : `http://${HOST}:${ports.kinesis}`],
    clientId: 'hunt-audit',
    requestTimeoutMs: 15_000,
    region: 'us-east-1',
    lagPollMs: 60_000,
    log: () => {},
  });
  try {
    const copy: StreamCopy = { stream: [], dlq: [] };
    await client.readAll(topic, (r) => {
      const id = eventId(r.value);
      if (id) copy.stream.push(id);
    });
    await client.readAll(dlqTopic, (r) => {
      const id = dlqEventId(r.value);
      if (id) copy.dlq.push(id);
    });
    return copy;
  } finally {
    await client.close();
  }
}

export function readLedger(dir: string): string[] {
  const file = join(dir, 'ledger.txt');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

/** k6's count of 202 answers (the hunt_accepted counter), when its summary was written. */
export function k6Accepted(dir: string): number | null {
  const file = join(dir, 'k6-summary.json');
  if (!existsSync(file)) return null;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as {
      metrics?: Record<string, { values?: Record<string, number> }>;
    };
    return data.metrics?.hunt_accepted?.values?.count ?? 0;
  } catch {
    return null;
  }
}
