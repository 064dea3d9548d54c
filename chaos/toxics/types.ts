import { z } from 'zod';

/** One Toxiproxy toxic type: its attributes (Toxiproxy's own names and units) and a label. */
export interface ToxicKind<A extends Record<string, number> = Record<string, number>> {
  type: string;
  attributes: z.ZodType<A>;
  /** Short human text for timelines, e.g. `latency 300±50ms`. */
  describe(attributes: A): string;
}

export function defineToxic<A extends Record<string, number>>(kind: ToxicKind<A>): ToxicKind {
  return kind as unknown as ToxicKind;
}

export const ms = z.number().int().nonnegative();
export const bytes = z.number().int().nonnegative();
