import { KafkaBackend } from './kafka.ts';
import { KinesisBackend } from './kinesis.ts';
import { MemoryBackend } from './memory.ts';
import type { BackendFactory, BackendName } from './types.ts';

/** Every backend by name; adding one is one file and one line here. */
export const BACKENDS = {
  kafka: (o) => new KafkaBackend(o),
  kinesis: (o) => new KinesisBackend(o),
  memory: (o) => new MemoryBackend(o),
} satisfies Record<BackendName, BackendFactory>;
