/**
 * A quota setting as a person writes it (`hunt chaos quota`, `--kinesis-quota`, a service
 * model's admin route): `off`, `on`, a multiplier of the provider's limits, or `lie [share]`.
 */
import { UserError } from '../common/user-error.ts';

export interface QuotaMode {
  mode: 'on' | 'off' | 'lie';
  multiplier: number;
  /** lie only: the share (0..1] of written records acknowledged and dropped. */
  share?: number;
}

export class QuotaModeError extends UserError {
  override name = 'QuotaModeError';
}

/** `off`, `on` (×1), a multiplier such as `0.5`, `x2`, `on x2`, or `lie` / `lie 0.2`. */
export function parseQuotaMode(raw: string): QuotaMode {
  const s = raw.trim().toLowerCase();
  if (s === 'off') return { mode: 'off', multiplier: 1 };
  if (s === 'on') return { mode: 'on', multiplier: 1 };
  const lie = /^lie(?:\s+(\d*\.?\d+))?$/.exec(s);
  if (lie) return lieMode(lie[1] === undefined ? 1 : Number(lie[1]));
  const m = /^(?:on\s*)?[x×]?\s*(\d+(?:\.\d+)?)$/.exec(s);
  const n = m ? Number(m[1]) : Number.NaN;
  if (!(n > 0))
    throw new QuotaModeError(
      `quota mode: expected off, on or a multiplier > 0 such as 0.5 (or lie [share]), got '${raw}'`,
    );
  return { mode: 'on', multiplier: n };
}

export function lieMode(share: number): QuotaMode {
  if (!(share > 0 && share <= 1))
    throw new QuotaModeError(`quota mode: lie takes a share from 0 (exclusive) to 1, got ${share}`);
  return { mode: 'lie', multiplier: 1, share };
}

/** The admin route's JSON form, `{"mode":"on","multiplier":0.5}` or `{"mode":"lie","share":0.2}`. */
export function quotaModeOf(json: { mode?: unknown; multiplier?: unknown; share?: unknown }) {
  if (json.mode === 'off') return parseQuotaMode('off');
  if (json.mode === 'lie') return lieMode(Number(json.share ?? 1));
  return parseQuotaMode(String(json.multiplier ?? 1));
}

export function formatQuotaMode(m: QuotaMode): string {
  if (m.mode === 'lie') return `lie ${m.share ?? 1}`;
  return m.mode === 'off' ? 'off' : `on x${m.multiplier}`;
}
