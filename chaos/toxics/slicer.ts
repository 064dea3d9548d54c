import { z } from 'zod';
import { bytes, defineToxic } from './types.ts';

/** Slices data into ~`average_size` byte packets, `delay` µs apart. */
export const slicer = defineToxic({
  type: 'slicer',
  attributes: z
    .strictObject({
      average_size: bytes.min(1),
      size_variation: bytes.default(0),
      delay: z.number().int().nonnegative().default(0),
    })
    .refine((a) => a.size_variation < a.average_size, {
      path: ['size_variation'],
      message: 'must be smaller than average_size',
    }),
  describe: (a) => `slicer ${a.average_size}B/${a.delay}µs`,
});
