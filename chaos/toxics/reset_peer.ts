import { z } from 'zod';
import { defineToxic, ms } from './types.ts';

/** TCP RST (connection reset by peer), at once or after `timeout` ms. */
export const resetPeer = defineToxic({
  type: 'reset_peer',
  attributes: z.strictObject({ timeout: ms.default(0) }),
  describe: (a) => `reset peer${a.timeout ? ` after ${a.timeout}ms` : ''}`,
});
