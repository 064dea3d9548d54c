import type { BackendFactory, BackendName } from '../engine/backend.ts';
import { KafkaBackend } from './kafka/backend.ts';
import { KinesisBackend } from './kinesis/backend.ts';
import { MemoryBackend } from './memory/backend.ts';

/** Every backend by name; adding one is one file and one line here. */
export const BACKENDS = {
  kafka: (o) => new KafkaBackend(o),
  kinesis: (o) => new KinesisBackend(o),
  memory: (o) => new MemoryBackend(o),
} satisfies Record<BackendName, BackendFactory>;
