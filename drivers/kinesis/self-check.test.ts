import { expect, test } from 'vitest';
import { throttledWritesIn } from './self-check.ts';

test("counts the quota layer's refused writes on one stream, reads and other streams apart", () => {
  const metrics = [
    '# HELP hunt_kinesis_quota_throttled_records_total Records refused',
    '# TYPE hunt_kinesis_quota_throttled_records_total counter',
    'hunt_kinesis_quota_throttled_records_total{op="PutRecords",stream="hunt-a"} 120',
    'hunt_kinesis_quota_throttled_records_total{op="PutRecord",stream="hunt-a"} 3',
    'hunt_kinesis_quota_throttled_records_total{op="GetRecords",stream="hunt-a"} 7',
    'hunt_kinesis_quota_throttled_records_total{op="PutRecords",stream="hunt-ab"} 50',
  ].join('\n');
  expect(throttledWritesIn(metrics, 'hunt-a')).toBe(123);
  expect(throttledWritesIn(metrics, 'hunt-b')).toBe(0);
});
