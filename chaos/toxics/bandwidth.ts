import { z } from 'zod';
import { defineToxic } from './types.ts';

/** Limits the connection to `rate` KB/s. */
export const bandwidth = defineToxic({
  type: 'bandwidth',
  attributes: z.strictObject({ rate: z.number().int().nonnegative() }),
  describe: (a) => `bandwidth ${a.rate}KB/s`,
});
