/**
 * Faults that Toxiproxy's POST /reset cannot undo (a killed process, a quota change) are noted
 * in a small JSON file while in force, so that the next runner can undo them after a crash.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FAULTS, type FaultKey } from './faults/index.ts';
import type { FaultContext, FaultKind } from './faults/types.ts';

interface Entry {
  step: number;
  key: FaultKey;
  target: string;
  memo?: unknown;
}

export class Journal {
  private entries: Entry[] = [];

  constructor(private readonly file?: string) {}

  /** Undoes what a previous, crashed runner left in force, then forgets it. */
  async recover(
    ctxFor: (entry: Entry) => FaultContext,
    log: (line: string) => void,
  ): Promise<void> {
    if (!this.file || !existsSync(this.file)) return;
    let left: Entry[] = [];
    try {
      left = JSON.parse(readFileSync(this.file, 'utf8')) as Entry[];
    } catch {
      // A torn write: nothing reliable to undo.
    }
    for (const entry of left) {
      const fault = FAULTS[entry.key] as FaultKind | undefined;
      if (!fault?.recover) continue;
      log(`undoing a previous run's leftover: ${entry.key} on ${entry.target}`);
      try {
        await fault.recover(entry.target, ctxFor(entry), entry.memo);
      } catch (err) {
        log(`could not undo ${entry.key} on ${entry.target}: ${String(err)}`);
      }
    }
    rmSync(this.file, { force: true });
  }

  add(step: number, key: FaultKey, target: string, memo?: unknown): void {
    this.entries.push(memo === undefined ? { step, key, target } : { step, key, target, memo });
    this.save();
  }

  remove(step: number): void {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.step !== step);
    if (this.entries.length !== before) this.save();
  }

  clear(): void {
    this.entries = [];
    if (this.file) rmSync(this.file, { force: true });
  }

  private save(): void {
    if (!this.file) return;
    if (this.entries.length === 0) return void rmSync(this.file, { force: true });
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(this.entries)}\n`);
  }
}
