/**
 * Scenario settings from the environment (k6's `__ENV`), each with a default and a clear
 * error naming the variable. Pure: no k6 API, so vitest covers it from Node too.
 */
import { UserError } from '../../common/user-error.ts';

export type Env = Record<string, string | undefined>;

export class ScenarioConfigError extends UserError {
  override name = 'ScenarioConfigError';
}

export interface Mix {
  join: number;
  clue: number;
  claim: number;
  order: number;
}
export type Kind = keyof Mix;
export const KINDS: readonly Kind[] = ['join', 'clue', 'claim', 'order'];

/** A flash sale is mostly people grabbing treasures; joins and clues keep the hunt alive. */
export const DEFAULT_MIX: Readonly<Mix> = { join: 15, clue: 35, claim: 30, order: 20 };

export interface Config {
  baseUrl: string;
  /** Profile name in scenarios/profiles/ or a path to a profile JSON. */
  profile: string;
  seed: number;
  scale: number;
  /** Whole run in seconds; undefined means the scenario's own default. */
  durationS: number | undefined;
  /** Base arrival rate in requests/s before SCALE; undefined means the scenario default. */
  rate: number | undefined;
  /** Fraction of arrivals sent as poison; 0.5% stays under the engine's 1% DLQ alert. */
  poisonRate: number;
  retries: number;
  /** Longest Retry-After the client will honour, in seconds; longer waits are capped. */
  retryAfterMaxS: number;
  results: string | undefined;
  /** Paths are absolute or relative to scenarios/. */
  budgets: string;
  data: string;
  maxVUs: number | undefined;
  mix: Mix;
  /**
   * The summaries go to stderr, the JSON one between SUMMARY_JSON_BEGIN/END lines: a remote
   * agent streams its samples on stdout and has no results directory of its own.
   */
  summaryStderr: boolean;
}

export function readConfig(env: Env): Config {
  const baseUrl = parseBaseUrl(env.BASE_URL ?? 'http://127.0.0.1:8080', env.ALLOW_REMOTE === '1');
  return {
    baseUrl,
    profile: nonEmpty('PROFILE', env.PROFILE ?? 'flash-sale'),
    seed: integer('SEED', env.SEED, 1, 0, 2 ** 31 - 1),
    scale: positive('SCALE', env.SCALE, 1),
    durationS: env.DURATION === undefined ? undefined : parseDurationS('DURATION', env.DURATION),
    rate: env.RATE === undefined ? undefined : positive('RATE', env.RATE, 1),
    poisonRate: fraction('POISON_RATE', env.POISON_RATE, 0.005),
    retries: integer('RETRIES', env.RETRIES, 2, 0, 10),
    retryAfterMaxS: positive('RETRY_AFTER_MAX', env.RETRY_AFTER_MAX, 10),
    results: env.HUNT_RESULTS === '' ? undefined : env.HUNT_RESULTS,
    budgets: nonEmpty('BUDGETS', env.BUDGETS ?? 'budgets.yaml'),
    data: nonEmpty('DATA', env.DATA ?? 'data/default.json'),
    maxVUs: env.MAX_VUS === undefined ? undefined : integer('MAX_VUS', env.MAX_VUS, 1, 1, 100_000),
    mix: parseMix(env.MIX),
    summaryStderr: env.SUMMARY_STDERR === '1',
  };
}

const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i;

/** The harness loads only loopback unless the target is named explicitly (ALLOW_REMOTE=1). */
export function parseBaseUrl(raw: string, allowRemote: boolean): string {
  const m = /^(https?):\/\/([^/:?#]+|\[[0-9a-fA-F:]+\])(:\d{1,5})?\/?$/.exec(raw);
  if (!m) {
    throw new ScenarioConfigError(
      `BASE_URL: expected http(s)://host[:port] with no path, got '${raw}'`,
    );
  }
  const host = m[2]!;
  if (!allowRemote && !LOOPBACK.test(host)) {
    throw new ScenarioConfigError(
      `BASE_URL: ${host} is not a loopback address; set ALLOW_REMOTE=1 to load a remote target`,
    );
  }
  return raw.replace(/\/$/, '');
}

/** k6-style durations: 90s, 2m30s, 1h, 500ms. Returns seconds. */
export function parseDurationS(name: string, raw: string): number {
  const whole = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
  if (!whole.test(raw)) {
    throw new ScenarioConfigError(
      `${name}: expected a duration like 90s, 2m30s or 1h, got '${raw}'`,
    );
  }
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const part of raw.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(part[1]) * unit[part[2]!]!;
  }
  if (total <= 0)
    throw new ScenarioConfigError(`${name}: duration must be above zero, got '${raw}'`);
  return total;
}

/** `join=15,clue=35,claim=30,order=20`: relative weights, kinds left out weigh 0. */
export function parseMix(raw: string | undefined): Mix {
  if (raw === undefined) return { ...DEFAULT_MIX };
  const mix: Mix = { join: 0, clue: 0, claim: 0, order: 0 };
  for (const part of raw.split(',')) {
    const [key, value, extra] = part.split('=').map((s) => s.trim());
    if (!key || value === undefined || extra !== undefined || !(KINDS as string[]).includes(key)) {
      throw new ScenarioConfigError(
        `MIX: expected kind=weight pairs over ${KINDS.join(', ')}, got '${part}'`,
      );
    }
    const w = Number(value);
    if (!Number.isFinite(w) || w < 0) {
      throw new ScenarioConfigError(`MIX: weight of ${key} must be a number ≥ 0, got '${value}'`);
    }
    mix[key as Kind] = w;
  }
  if (KINDS.every((k) => mix[k] === 0)) throw new ScenarioConfigError('MIX: all weights are 0');
  return mix;
}

function nonEmpty(name: string, raw: string): string {
  if (raw.trim() === '') throw new ScenarioConfigError(`${name}: must not be empty`);
  return raw;
}

function positive(name: string, raw: string | undefined, dflt: number): number {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new ScenarioConfigError(`${name}: expected a number above 0, got '${raw}'`);
  }
  return n;
}

function fraction(name: string, raw: string | undefined, dflt: number): number {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new ScenarioConfigError(`${name}: expected a fraction from 0 to 1, got '${raw}'`);
  }
  return n;
}

function integer(name: string, raw: string | undefined, dflt: number, min: number, max: number) {
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
    throw new ScenarioConfigError(
      `${name}: expected a whole number from ${min} to ${max}, got '${raw}'`,
    );
  }
  return n;
}
