/**
 * The parsers of command-line values, one per kind of value, shared by every verb. Each
 * error names its flag and what was expected, and is the user's to fix (exit 2).
 */

import { parseQuotaMode, type QuotaMode } from '../chaos/quota-mode.ts';
import { UserError } from '../common/user-error.ts';
import { driverNames, localDrivers } from '../drivers/registry.ts';

export function intOption(flag: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UserError(`${flag}: expected a whole number from ${min} to ${max}, got '${raw}'`);
  }
  return n;
}

export function positiveOption(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new UserError(`${flag}: expected a number above 0, got '${raw}'`);
  return n;
}

/** A dot path of plain keys into a JSON record, e.g. `id` or `meta.eventId`. */
export function idPathOption(flag: string, raw: string): string {
  if (!/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/.test(raw))
    throw new UserError(
      `${flag}: expected a dot path such as 'id' or 'meta.eventId', got '${raw}'`,
    );
  return raw;
}

/** A fraction from 0 to 1, e.g. `--poison-rate 0.005`. */
export function fractionOption(flag: string, raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
    throw new UserError(`${flag}: expected a fraction from 0 to 1, got "${raw}"`);
  return n;
}

export { percentOption } from './percent-option.ts';

/**
 * A driver's name: `local`, one with a stand-in on the stack (what `hunt run` needs), or
 * `any` (the engine and a plan's dry run also take the in-process memory backend).
 */
export function backendOption(raw: string, need: 'local' | 'any'): string {
  const all = driverNames();
  const allowed = need === 'any' ? all : localDrivers().map((d) => d.name);
  if (all.includes(raw) && !allowed.includes(raw)) {
    // A run needs a broker outside the engine: faults go through its proxy and the audit
    // reads it back from another process. An in-process backend has neither.
    throw new UserError(
      `--backend: ${raw} lives inside the engine, with no broker to fault or audit; use ${allowed.join(' or ')} (${raw} is for 'hunt engine' and bench:engine)`,
    );
  }
  if (!allowed.includes(raw)) {
    const list = `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`;
    throw new UserError(`--backend: expected ${list}, got '${raw}'`);
  }
  return raw;
}

/** `off`, `on` (AWS's limits) or a multiplier of them such as 0.5 or x2. */
export function quotaOption(flag: string, raw: string): QuotaMode {
  try {
    return parseQuotaMode(raw);
  } catch (e) {
    throw new UserError(`${flag}: ${(e as Error).message}`);
  }
}

/** `--set key=value ...`: settings passed through by name, values kept as strings. */
export function settingsOption(pairs: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of pairs ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new UserError(`--set ${kv}: expected key=value`);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}
