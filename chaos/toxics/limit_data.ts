import { z } from 'zod';
import { bytes, defineToxic } from './types.ts';

/** Closes the connection once `bytes` have gone through it. */
export const limitData = defineToxic({
  type: 'limit_data',
  attributes: z.strictObject({ bytes: bytes.min(1) }),
  describe: (a) => `limit ${a.bytes}B`,
});
