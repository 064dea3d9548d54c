import { z } from 'zod';
import { defineToxic, ms } from './types.ts';

/** Stops all data; closes the connection after `timeout` ms, or never when 0 (a blackhole). */
export const timeout = defineToxic({
  type: 'timeout',
  attributes: z.strictObject({ timeout: ms }),
  describe: (a) => (a.timeout === 0 ? 'blackhole' : `timeout ${a.timeout}ms`),
});
