import { z } from 'zod';
import { defineToxic, ms } from './types.ts';

/** Delays the socket's close by `delay` ms. */
export const slowClose = defineToxic({
  type: 'slow_close',
  attributes: z.strictObject({ delay: ms }),
  describe: (a) => `slow close ${a.delay}ms`,
});
