/**
 * The engine settings that are secrets, and their redaction from anything written down:
 * logs, run.json, reports, error messages. A secret's value is replaced by `[redacted]`
 * wherever it appears as a setting (`kafkaSaslPassword`), as its environment variable
 * (`HUNT_ENGINE_KAFKA_SASL_PASSWORD=...`), or, given the values, verbatim in free text.
 */
import type { Log } from './log.ts';

/**
 * `alertWebhook` too: a webhook URL usually carries its token in the path or query (Slack,
 * PagerDuty), so it is as secret as a password.
 */
export const SECRET_KEYS = ['kafkaSaslPassword', 'alertWebhook'] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

export const REDACTED = '[redacted]';

const envNameOf = (key: string) =>
  `HUNT_ENGINE_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** Setting names and their environment variables, as they may appear as keys or `k=v`. */
const NAMES = SECRET_KEYS.flatMap((k) => [k, envNameOf(k)]);
const NAME_SET = new Set(NAMES.map((n) => n.toLowerCase()));
/** `name=value` and `--set name=value` in free text, up to whitespace or a quote. */
const ASSIGNMENT = new RegExp(`\\b(${NAMES.join('|')})=[^\\s"']+`, 'gi');

const isSecretKey = (key: string) => NAME_SET.has(key.toLowerCase());

function redactString(s: string): string {
  return s.replace(ASSIGNMENT, `$1=${REDACTED}`);
}

/**
 * A deep copy of `value` with every secret setting's value, and every `NAME=value` in a
 * string, replaced by `[redacted]`. Plain data only (what JSON holds); others pass as they are.
 */
export function redact<T>(value: T): T {
  return redactAny(value) as T;
}

function redactAny(v: unknown): unknown {
  if (typeof v === 'string') return redactString(v);
  if (Array.isArray(v)) return v.map(redactAny);
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) {
    return v;
  }
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [
      k,
      isSecretKey(k) && x !== undefined && x !== null ? REDACTED : redactAny(x),
    ]),
  );
}

/**
 * `text` with each secret's literal value (also as JSON escapes it) and every `NAME=value`
 * replaced by `[redacted]`. Empty secrets are ignored; longer ones go first, so that a secret
 * containing another is not left half shown.
 */
export function redactText(text: string, secrets: readonly string[]): string {
  const forms = secrets
    .filter((s) => s.length > 0)
    .flatMap((s) => [s, JSON.stringify(s).slice(1, -1)])
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const f of new Set(forms)) out = out.split(f).join(REDACTED);
  return redactString(out);
}

/** The secret values a configuration holds. */
export function secretValues(config: object): string[] {
  const c = config as Partial<Record<SecretKey, unknown>>;
  return SECRET_KEYS.map((k) => c[k]).filter(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
}

/** A log that redacts `secrets` from its message and fields before writing them. */
export function redactingLog(log: Log, secrets: readonly string[]): Log {
  const text = (s: string) => redactText(s, secrets);
  const deep = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (Array.isArray(v)) return v.map(deep);
    if (v instanceof Error) return text(v.message);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)]));
  };
  return (msg, fields) =>
    log(text(msg), fields === undefined ? undefined : (deep(redact(fields)) as typeof fields));
}
