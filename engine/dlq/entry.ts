import { z } from 'zod';
import type { HuntEvent } from '../event.ts';

/** Why an event was dead-lettered. */
export type DlqReason =
  | 'invalid-event'
  | 'unknown-treasure'
  | 'price-mismatch'
  | 'fulfillment-rejected'
  | 'retries-exhausted';

/** One DLQ record: the original event (or its raw text if it could not be decoded). */
export interface DlqEntry {
  reason: DlqReason;
  /** Delivery attempts made before giving up (0 for poison). */
  attempts: number;
  /** When it was dead-lettered, epoch ms. */
  ts: number;
  error: string;
  /** Where the event was read, e.g. `hunt-events/2@118`. */
  source: string;
  event: HuntEvent | null;
  /** The undecodable value, when `event` is null. */
  raw?: string;
}

export const DlqEntrySchema = z.looseObject({
  reason: z.string(),
  attempts: z.number(),
  ts: z.number(),
  error: z.string(),
  source: z.string(),
  event: z.looseObject({ id: z.string(), huntId: z.string() }).nullable(),
  raw: z.string().optional(),
});

export function dlqTopicOf(topic: string): string {
  return `${topic}-dlq`;
}
