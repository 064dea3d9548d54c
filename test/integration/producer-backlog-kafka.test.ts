import { producerBacklogSuite } from './producer-backlog-suite.ts';

// About 40 events/s of ~200 bytes against 200/s offered: the broker throttles the producer.
producerBacklogSuite('kafka', {
  quota: { mode: 'on', multiplier: 1, producerByteRate: 8 * 1024 },
  rate: 200,
  seconds: 8,
  engine: { maxBatch: 50, maxInFlight: 1 },
});
