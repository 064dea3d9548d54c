/**
 * The audit's independent reader: a fresh backend client, straight to the broker (not
 * through Toxiproxy or the quota layer), reads the topic/stream and its DLQ from the start,
 * or, on an existing one, from where they ended when the run began; plus the engine's ledger
 * and k6's count of 202 answers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReportInputError } from '../../contract/errors.ts';
import { k6SummaryFigures } from '../../contract/k6-agents.ts';
import { RESULTS } from '../../contract/layout.ts';
import type { BrokerSettings, Driver } from '../../drivers/types.ts';
import type { ReadFrom } from '../../engine/backend.ts';
import type { EngineConfig } from '../../engine/config.ts';
import { DlqEntrySchema } from '../../engine/dlq/entry.ts';
import type { Ports } from '../../stack/config.ts';
import { backendFor } from '../../system/engine.ts';

export interface StreamCopy {
  stream: string[];
  dlq: string[];
  /** Records (and DLQ entries) whose event id could not be read: counted, never dropped. */
  unreadable: { stream: number; dlq: number };
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
    if (!entry.success) return null;
    if (entry.data.event) return at(entry.data.event, path);
    // A poison record the consumer could not decode keeps its raw text: its id may be there.
    return entry.data.raw === undefined ? null : eventId(Buffer.from(entry.data.raw), path);
  } catch {
    return null;
  }
}

export const emptyCopy = (): StreamCopy => ({
  stream: [],
  dlq: [],
  unreadable: { stream: 0, dlq: 0 },
});

/** One record of the topic (`stream`) or its DLQ into the copy: its event id, or one more unreadable. */
export function copyRecord(
  copy: StreamCopy,
  side: 'stream' | 'dlq',
  value: Buffer,
  path: string[],
): void {
  const id = side === 'stream' ? eventId(value, path) : dlqEventId(value, path);
  if (id) copy[side].push(id);
  else copy.unreadable[side]++;
}

/** How the reader reaches the broker: the backend and the settings its client connects with. */
export type AuditConnection = BrokerSettings & { backend: string };

/** The local stack's broker, straight to its stand-in (past Toxiproxy and any service model). */
export function stackConnection(driver: Driver, ports: Ports): AuditConnection {
  return { region: 'us-east-1', ...driver.local?.direct(ports), backend: driver.name };
}

/** A target's broker, with the same settings (TLS and SASL too) the engine connects with. */
export function targetConnection(c: EngineConfig): AuditConnection {
  return c;
}

function client(conn: AuditConnection) {
  return backendFor(conn, {
    clientId: 'hunt-audit',
    requestTimeoutMs: 15_000,
    lagPollMs: 60_000,
    log: () => {},
  });
}

/** Where each topic ended when the run began: a topic that does not exist yet starts empty. */
export interface RunStart {
  topic?: ReadFrom;
  dlq?: ReadFrom;
}

/** Taken before the engine starts, for a topic/stream that may hold records of before the run. */
export async function markRunStart(
  conn: AuditConnection,
  topic: string,
  dlqTopic: string,
): Promise<RunStart> {
  const c = client(conn);
  try {
    const mark = async (t: string) => ((await c.topicExists(t)) ? c.markEnd(t) : undefined);
    const start: RunStart = {};
    const [a, b] = [await mark(topic), await mark(dlqTopic)];
    if (a) start.topic = a;
    if (b) start.dlq = b;
    return start;
  } finally {
    await c.close();
  }
}

/** Which of `topics` do not exist on the broker. */
export async function missingTopics(conn: AuditConnection, topics: string[]): Promise<string[]> {
  const c = client(conn);
  try {
    const out: string[] = [];
    for (const t of topics) if (!(await c.topicExists(t))) out.push(t);
    return out;
  } finally {
    await c.close();
  }
}

export async function readStreamCopy(
  conn: AuditConnection,
  topic: string,
  dlqTopic: string,
  idPath = DEFAULT_ID_PATH,
  from: RunStart = {},
): Promise<StreamCopy> {
  const path = idPath.split('.');
  const reader = client(conn);
  try {
    const copy = emptyCopy();
    await reader.readAll(topic, (r) => copyRecord(copy, 'stream', r.value, path), from.topic);
    await reader.readAll(dlqTopic, (r) => copyRecord(copy, 'dlq', r.value, path), from.dlq);
    return copy;
  } finally {
    await reader.close();
  }
}

/** The engine's ledger of accepted ids, a cross-check only; null when it left none. */
/** Engine instance i's ledger of accepted ids: `ledger.txt`, then `ledger-<i>.txt`. */
export const ledgerFile = (i: number) =>
  i === 0 ? RESULTS.ledger : RESULTS.ledger.replace(/\.txt$/, `-${i}.txt`);

/**
 * Every engine instance's ledger lines (`instances` of them, `--producers`); null when one
 * left none, since a cross-check against part of the ledger would report false gaps.
 */
export function readLedger(dir: string, instances = 1): string[] | null {
  const out: string[] = [];
  for (let i = 0; i < instances; i++) {
    const file = join(dir, ledgerFile(i));
    if (!existsSync(file)) return null;
    out.push(...readFileSync(file, 'utf8').split('\n').filter(Boolean));
  }
  return out;
}

/**
 * k6's count of 202 answers (the hunt_accepted counter), summed over the agents, when every
 * one wrote a readable summary; null otherwise, after `say` was told why a summary was unreadable.
 */
export function k6Accepted(dir: string, say: (why: string) => void): number | null {
  try {
    return k6SummaryFigures(dir)?.accepted ?? null;
  } catch (err) {
    if (!(err instanceof ReportInputError)) throw err;
    say(err.message);
    return null;
  }
}
