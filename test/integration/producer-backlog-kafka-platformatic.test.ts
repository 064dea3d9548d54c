import { producerBacklogSuite } from './producer-backlog-suite.ts';

// As producer-backlog-kafka.test.ts, with the @platformatic/kafka producer: it does not wait
// out throttle_time_ms itself, so the broker's muted connection is what holds it back.
producerBacklogSuite('kafka', {
  quota: { mode: 'on', multiplier: 1, producerByteRate: 8 * 1024 },
  rate: 200,
  seconds: 8,
  engine: { maxBatch: 50, maxInFlight: 1, kafkaProducer: 'platformatic' },
  throttleFigure: 'throttleMs',
});
