/** Parsing and checking `hunt run` / `hunt compare` options, each error naming its flag. */
import { UsageError } from '../cli/errors.ts';

export function intOption(flag: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag}: expected a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return n;
}

export function positiveOption(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${flag}: expected a number above 0, got '${raw}'`);
  return n;
}

/** `off`, `on` (AWS's limits) or a multiplier of them such as 0.5. */
export function quotaOption(raw: string): number | null {
  if (raw === 'off') return null;
  if (raw === 'on') return 1;
  return positiveOption('--kinesis-quota', raw);
}

/**
 * A run needs a broker outside the engine: faults go through its proxy and the audit reads
 * it back from another process. The engine's in-memory backend has neither; it serves unit
 * tests and the benchmark's ceiling (`hunt engine --backend memory`).
 */
export function backendOption(raw: string): 'kafka' | 'kinesis' {
  if (raw === 'memory') {
    throw new UsageError(
      "--backend: memory lives inside the engine, with no broker to fault or audit; use kafka or kinesis (memory is for 'hunt engine' and bench:engine)",
    );
  }
  if (raw !== 'kafka' && raw !== 'kinesis') {
    throw new UsageError(`--backend: expected kafka or kinesis, got '${raw}'`);
  }
  return raw;
}

export function settingsOption(pairs: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of pairs ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UsageError(`--set ${kv}: expected key=value`);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}
