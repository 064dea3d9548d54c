import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The append-only ledger of accepted event ids, one per line, written after the broker's
 * ack and before the 202. The audit compares it with what the topic and the DLQ hold.
 */
export interface Ledger {
  append(id: string): void;
  close(): Promise<void>;
}

export async function openLedger(path: string | undefined): Promise<Ledger> {
  if (!path) return { append() {}, close: async () => {} };
  await mkdir(dirname(path), { recursive: true });
  const out: WriteStream = createWriteStream(path, { flags: 'a' });
  await new Promise<void>((resolve, reject) => {
    out.once('open', () => resolve());
    out.once('error', reject);
  });
  return {
    append(id) {
      out.write(`${id}\n`);
    },
    close: () => new Promise<void>((resolve) => out.end(resolve)),
  };
}
