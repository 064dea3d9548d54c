import { producerBacklogSuite } from './producer-backlog-suite.ts';

// One shard at 5% of AWS's limits (50 records/s) against 200/s offered.
producerBacklogSuite('kinesis', {
  quota: { mode: 'on', multiplier: 0.05 },
  rate: 200,
  seconds: 8,
  engine: { partitions: 1, maxBatch: 50, maxInFlight: 1 },
});
