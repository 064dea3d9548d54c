import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LedgerError } from '../errors.ts';

/**
 * The append-only ledger of accepted event ids, one per line, written after the broker's
 * ack and before the 202. The audit compares it with what the topic and the DLQ hold.
 *
 * Each line is handed to the OS with a synchronous write before `append` returns, so a
 * SIGKILL of the engine after a 202 never loses its line (a power cut may: no fsync). The
 * first failed write breaks the ledger for good: from then on `check` refuses new writes
 * before they reach the broker, so that nothing else is accepted without being recorded.
 */
export interface Ledger {
  /** Throws LedgerError once the ledger cannot be written. */
  check(): void;
  /** Appends one id; throws LedgerError (naming the id) if the line could not be written. */
  append(id: string): void;
  close(): Promise<void>;
}

export async function openLedger(path: string | undefined): Promise<Ledger> {
  if (!path) return { check() {}, append() {}, close: async () => {} };
  await mkdir(dirname(path), { recursive: true });
  const fd = openSync(path, 'a');
  let broken: string | undefined;
  let closed = false;
  return {
    check() {
      if (broken) throw new LedgerError(`ledger ${path} is unavailable: ${broken}`);
    },
    append(id) {
      if (broken) throw new LedgerError(`ledger ${path} is unavailable: ${broken}`, id);
      const line = Buffer.from(`${id}\n`);
      try {
        // A short write would leave a torn line; count it as a failure.
        const n = writeSync(fd, line);
        if (n !== line.length) throw new Error(`short write (${n} of ${line.length} bytes)`);
      } catch (e) {
        broken = (e as Error).message;
        throw new LedgerError(`ledger ${path} could not be written: ${broken}`, id, e);
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}
