/**
 * The audit's independent reader: a fresh backend client, straight to the broker (not
 * through Toxiproxy or the quota layer), reads the whole topic/stream and its DLQ from the
 * start; plus the engine's ledger and k6's count of 202 answers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS } from '../engine/backends/registry.ts';
import { DlqEntrySchema } from '../engine/dlq/entry.ts';
import { k6SummaryFigures } from '../reports/k6-agents.ts';
import { HOST, type Ports } from '../stack/config.ts';

export interface StreamCopy {
  stream: string[];
  dlq: string[];
}

/** Where the event id sits in a JSON event: a dot path, `id` for the reference engine. */
export const DEFAULT_ID_PATH = 'id';

function at(value: unknown, path: string[]): string | null {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return null;
    v = (v as Record<string, unknown>)[key];
  }
  return typeof v === 'string' ? v : null;
}

function eventId(value: Buffer, path: string[]): string | null {
  try {
    return at(JSON.parse(value.toString('utf8')), path);
  } catch {
    return null;
  }
}

function dlqEventId(value: Buffer, path: string[]): string | null {
  try {
    const entry = DlqEntrySchema.safeParse(JSON.parse(value.toString('utf8')));
    return entry.success ? at(entry.data.event, path) : null;
  } catch {
    return null;
  }
}

export async function readStreamCopy(
  backend: 'kafka' | 'kinesis',
  ports: Ports,
  topic: string,
  dlqTopic: string,
  idPath = DEFAULT_ID_PATH,
): Promise<StreamCopy> {
  const path = idPath.split('.');
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
      const id = eventId(r.value, path);
      if (id) copy.stream.push(id);
    });
    await client.readAll(dlqTopic, (r) => {
      const id = dlqEventId(r.value, path);
      if (id) copy.dlq.push(id);
    });
    return copy;
  } finally {
    await client.close();
  }
}

/** The engine's ledger of accepted ids, a cross-check only; null when it left none. */
export function readLedger(dir: string): string[] | null {
  const file = join(dir, 'ledger.txt');
  if (!existsSync(file)) return null;
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

/**
 * k6's count of 202 answers (the hunt_accepted counter), summed over the agents, when every
 * one wrote its summary; null otherwise.
 */
export function k6Accepted(dir: string): number | null {
  return k6SummaryFigures(dir)?.accepted ?? null;
}
