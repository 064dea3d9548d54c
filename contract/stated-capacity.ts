/**
 * How a stated capacity reads (fidelity `capacity`, run.json `fidelity.capacity`): a scale as
 * a fraction, rates in decimal units as the providers state them (MSK's MB/s are 10^6 bytes).
 */
const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** 0.01 -> `1/100`; a scale that is no whole fraction -> `0.37`, `2`. */
export function formatScale(scale: number): string {
  const inverse = 1 / scale;
  if (scale < 1 && Math.abs(inverse - Math.round(inverse)) < 1e-6)
    return `1/${Math.round(inverse)}`;
  return new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 }).format(scale);
}

/** Bytes/s in decimal units: `46.8 MB/s`, `468 KB/s`, `900 B/s`. */
export function formatBytesPerS(bytes: number): string {
  if (bytes >= 1e6) return `${grouped.format(bytes / 1e6)} MB/s`;
  if (bytes >= 1e3) return `${grouped.format(bytes / 1e3)} KB/s`;
  return `${grouped.format(bytes)} B/s`;
}

export const formatPerS = (n: number, unit: string): string =>
  `${new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(n)} ${unit}/s`;

/**
 * Events a second a limit admits: the records/s limit, or the bytes/s one over the measured
 * bytes of one event, whichever is lower; null when neither is known.
 */
export function eventsPerS(
  limits: { bytesPerS: number | null; recordsPerS: number | null },
  eventBytes: number | null,
): number | null {
  // A bytes limit without the event's size leaves the events it admits unknown.
  if (limits.bytesPerS !== null && eventBytes === null) return null;
  const byBytes = limits.bytesPerS !== null ? limits.bytesPerS / eventBytes! : null;
  const all = [byBytes, limits.recordsPerS].filter((x): x is number => x !== null);
  return all.length === 0 ? null : Math.floor(Math.min(...all));
}
