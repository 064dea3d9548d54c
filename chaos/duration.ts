import { z } from 'zod';

const UNIT_S: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/** Seconds from a number (already seconds) or a string such as `90s`, `1m30s`, `500ms`. */
export function parseDuration(raw: string | number): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? raw : undefined;
  const s = raw.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_S[m[2]!]!;
    pos = re.lastIndex;
  }
  return total;
}

/** A plan time: seconds as a number, or a duration string. Parses to seconds. */
export const Duration = z.union([z.number(), z.string()]).transform((raw, ctx) => {
  const s = parseDuration(raw);
  if (s === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected seconds (e.g. 30) or a duration like '90s', '1m30s', '500ms', got ${JSON.stringify(raw)}`,
    });
    return z.NEVER;
  }
  return s;
});

/** `75` -> `1m15s`, `0.5` -> `500ms`: for timelines people read. */
export function formatSeconds(s: number): string {
  if (s < 1 && s > 0) return `${Math.round(s * 1000)}ms`;
  const m = Math.floor(s / 60);
  const rest = Math.round((s - m * 60) * 1000) / 1000;
  if (m === 0) return `${rest}s`;
  return rest === 0 ? `${m}m` : `${m}m${rest}s`;
}
