/**
 * The in-memory broker: the engine's backend alone, in-process, for unit tests and as a
 * ceiling in the engine benchmark. It has no stand-in on the stack and no real service, so
 * `hunt run` refuses it.
 */
import type { Driver } from '../types.ts';
import { MemoryBackend } from './backend.ts';

export const memoryDriver: Driver = {
  name: 'memory',
  label: 'memory',
  noun: 'topic',
  engine: {
    backend: (_s, o) => new MemoryBackend(o),
    hosts: () => [],
  },
};
