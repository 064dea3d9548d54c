/**
 * The fulfilled-orders record: one ndjson line per event the service fulfils for the first
 * time, so that a run can tell what was sold and when (and what was sold too late) apart
 * from what the engine says it delivered.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

export interface FulfilledLine {
  id: string;
  type: string;
  /** The event's publish time, epoch ms. */
  ts: number;
  /** When the service fulfilled it, epoch ms. */
  fulfilledAt: number;
  /** order.placed only: the payload's price. */
  priceCents?: number;
}

/** An event as the engine sends it; only `id` is required of a caller. */
export interface FulfilledEvent {
  id: string;
  type?: string;
  ts?: number;
  payload?: { priceCents?: unknown };
}

export function lineOf(e: FulfilledEvent, fulfilledAt: number): FulfilledLine {
  const line: FulfilledLine = { id: e.id, type: e.type ?? 'unknown', ts: e.ts ?? 0, fulfilledAt };
  const price = e.payload?.priceCents;
  if (e.type === 'order.placed' && typeof price === 'number') line.priceCents = price;
  return line;
}

export class FulfilledRecord {
  private readonly out: WriteStream;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.out = createWriteStream(file, { flags: 'a' });
  }

  append(lines: FulfilledLine[]): void {
    if (lines.length === 0) return;
    this.out.write(lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(resolve));
  }
}
