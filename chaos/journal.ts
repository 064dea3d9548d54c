/**
 * Faults that Toxiproxy's POST /reset cannot undo (a killed process, a quota change, the quota
 * a whole run turned on) are noted in a small JSON file in the state dir while in force, so
 * that the next runner or run can undo them after a crash. Several writers share the file
 * (a run's own quota, its chaos runner): each entry names the process that wrote it, and only
 * entries of processes that are gone are undone.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FAULTS, type FaultKey } from './faults/index.ts';
import type { FaultContext, FaultKind } from './faults/types.ts';

export interface JournalEntry {
  /** A plan step's index, or a name such as `run` for what is not a step. */
  step: number | string;
  key: FaultKey;
  target: string;
  memo?: unknown;
  /** The writing process: `pid@start time`, see `processId`. */
  owner?: string;
}

export { journalFile } from '../stack/config.ts';

/** pid and kernel start time: a pid the kernel recycled never passes for the process it was. */
export function processId(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is 3rd, starttime 22nd.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return `${pid}@${fields[19]}`;
  } catch {
    return undefined;
  }
}

const SELF = processId(process.pid) ?? `${process.pid}@?`;

function alive(owner: string | undefined): boolean {
  if (!owner) return false;
  if (owner === SELF) return true;
  return processId(Number(owner.split('@')[0])) === owner;
}

export class Journal {
  constructor(private readonly file?: string) {}

  /** Undoes, newest first, what processes that are gone left in force, then forgets it. */
  async recover(
    ctxFor: (entry: JournalEntry) => FaultContext,
    log: (line: string) => void,
  ): Promise<void> {
    const all = this.read();
    const left = all.filter((e) => !alive(e.owner));
    if (left.length === 0) return;
    for (const entry of [...left].reverse()) {
      const fault = FAULTS[entry.key] as FaultKind | undefined;
      if (!fault?.recover) continue;
      log(`undoing a previous run's leftover: ${entry.key} on ${entry.target}`);
      try {
        await fault.recover(entry.target, ctxFor(entry), entry.memo);
      } catch (err) {
        log(`could not undo ${entry.key} on ${entry.target}: ${String(err)}`);
      }
    }
    this.write(this.read().filter((e) => alive(e.owner)));
  }

  add(step: number | string, key: FaultKey, target: string, memo?: unknown): void {
    const entry: JournalEntry = { step, key, target, owner: SELF };
    if (memo !== undefined) entry.memo = memo;
    this.write([...this.read(), entry]);
  }

  remove(step: number | string): void {
    const all = this.read();
    const rest = all.filter((e) => !(e.owner === SELF && e.step === step));
    if (rest.length !== all.length) this.write(rest);
  }

  private read(): JournalEntry[] {
    if (!this.file || !existsSync(this.file)) return [];
    try {
      const v = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      return Array.isArray(v) ? (v as JournalEntry[]) : [];
    } catch {
      return []; // a torn write: nothing reliable to undo
    }
  }

  private write(entries: JournalEntry[]): void {
    if (!this.file) return;
    if (entries.length === 0) return void rmSync(this.file, { force: true });
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(entries)}\n`);
    renameSync(tmp, this.file); // whole or not at all
  }
}
