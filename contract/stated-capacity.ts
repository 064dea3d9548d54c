/**
 * How a stated capacity reads (fidelity `capacity`, run.json `fidelity.capacity`): a scale as
 * a fraction, rates in decimal units as the providers state them (MSK's MB/s are 10^6 bytes).
 */
import type { CapacityRecord } from './fidelity-schema.ts';

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

/** `, ~390 events/s at 240 B an event`, or nothing when the events a limit admits are unknown. */
export const perEventNote = (events: number | null, eventBytes: number | null): string =>
  events === null ? '' : `, ~${formatPerS(events, 'events')} at ${eventBytes} B an event`;

/** A stated capacity the run did not hold its backend to: no limit here, and why. */
export function unenforced(
  stated: Pick<CapacityRecord, 'stated' | 'statedBytesPerS' | 'statedRecordsPerS' | 'scale'>,
  head: string,
  why: { how: string; short: string },
): CapacityRecord {
  return {
    ...stated,
    enforced: false,
    bytesPerS: null,
    recordsPerS: null,
    eventsPerS: null,
    how: `not enforced: ${why.how}`,
    line: `${head}: not enforced${why.short}`,
  };
}

/** Why a run against an existing service holds nothing: the service has its own capacity. */
export const TARGET_OWN = (service: string) => ({
  how: `a run against an existing ${service} meets the ${service}'s own capacity`,
  short: ", the target's own capacity",
});
