import { z } from 'zod';
import { defineToxic, ms } from './types.ts';

/** Delays all data by `latency` ± `jitter` ms. */
export const latency = defineToxic({
  type: 'latency',
  attributes: z.strictObject({ latency: ms, jitter: ms.default(0) }),
  describe: (a) => `latency ${a.latency}${a.jitter ? `±${a.jitter}` : ''}ms`,
});
