/**
 * Engine settings that are secrets, and the redaction every writer of run.json, logs and
 * reports applies before a value leaves the process.
 */
import { envName } from './config.ts';

/**
 * Setting keys whose values are secrets. `alertWebhook` too: a webhook URL usually carries
 * its token in the path or query (Slack, PagerDuty), so it is as secret as a password.
 */
export const SECRET_KEYS = ['kafkaSaslPassword', 'alertWebhook'] as const;

export const REDACTED = '[redacted]';

const ENV_NAMES = SECRET_KEYS.map(envName);
/** `HUNT_ENGINE_KAFKA_SASL_PASSWORD=...` or `kafkaSaslPassword=...` up to whitespace, quote or comma. */
const ASSIGNMENT = new RegExp(`\\b(${[...ENV_NAMES, ...SECRET_KEYS].join('|')})=[^\\s"',]*`, 'g');

function redactString(s: string): string {
  return s.replace(ASSIGNMENT, `$1=${REDACTED}`);
}

/**
 * A deep copy of `value` with every secret key's value, and every `KEY=value` occurrence of
 * a secret's key or environment variable in a string, replaced by `[redacted]`.
 */
export function redact<T>(value: T): T {
  if (typeof value === 'string') return redactString(value) as T;
  if (Array.isArray(value)) return value.map((v) => redact(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const secret = (SECRET_KEYS as readonly string[]).includes(k) || ENV_NAMES.includes(k);
    out[k] = secret && v !== undefined && v !== null ? REDACTED : redact(v);
  }
  return out as T;
}

/** `text` with each secret's literal value (of 4 characters or more) replaced by `[redacted]`. */
export function redactText(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(REDACTED);
  return redactString(out);
}

/** The secret values a configuration holds, for redactText. */
export function secretValues(settings: object): string[] {
  const s = settings as Record<string, unknown>;
  return SECRET_KEYS.map((k) => s[k]).filter((v): v is string => typeof v === 'string');
}
