/** What a report needs of the in-memory broker: no stand-in to check, never a target. */
import type { DriverDescription } from '../types.ts';

export const memoryDescription: DriverDescription = { name: 'memory', selfChecks: false };
