import { z } from 'zod';
import { newEventId } from './event-id.ts';

/** The wire event (docs/contracts.md, "Events"): key `huntId`, `ts` the publish time in ms. */
export const EVENT_TYPES = [
  'player.joined',
  'clue.found',
  'treasure.claimed',
  'order.placed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface HuntEvent {
  id: string;
  type: EventType;
  huntId: string;
  playerId: string;
  ts: number;
  payload: Record<string, unknown>;
}

const id = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/);

/** What the consumer accepts; anything else is poison (reason `invalid-event`). */
export const HuntEventSchema = z.strictObject({
  id: z.string().min(1).max(64),
  type: z.enum(EVENT_TYPES),
  huntId: id,
  playerId: id,
  ts: z.number().int().nonnegative(),
  payload: z.record(z.string(), z.unknown()),
});

export function buildEvent(
  type: EventType,
  huntId: string,
  playerId: string,
  payload: Record<string, unknown>,
  now: number,
  id: string = newEventId(now),
): HuntEvent {
  return { id, type, huntId, playerId, ts: now, payload };
}

export function encodeEvent(e: HuntEvent): Buffer {
  return Buffer.from(JSON.stringify(e));
}

export type Decoded = { ok: true; event: HuntEvent } | { ok: false; error: string };

export function decodeEvent(value: Buffer): Decoded {
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  const parsed = HuntEventSchema.safeParse(json);
  if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error) };
  return { ok: true, event: parsed.data as HuntEvent };
}
