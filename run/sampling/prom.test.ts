import { describe, expect, it } from 'vitest';
import { quantileMs, readBuckets, subtract } from './prom.ts';

const exposition = (
  a: number[],
  b: number[],
) => `# HELP hunt_http_request_duration_seconds HTTP request duration
# TYPE hunt_http_request_duration_seconds histogram
hunt_http_request_duration_seconds_bucket{le="0.01",method="POST",route="/orders",status="202"} ${a[0]}
hunt_http_request_duration_seconds_bucket{le="0.1",method="POST",route="/orders",status="202"} ${a[1]}
hunt_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/orders",status="202"} ${a[2]}
hunt_http_request_duration_seconds_bucket{le="0.01",method="POST",route="/orders",status="503"} ${b[0]}
hunt_http_request_duration_seconds_bucket{le="0.1",method="POST",route="/orders",status="503"} ${b[1]}
hunt_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/orders",status="503"} ${b[2]}
hunt_http_request_duration_seconds_count{method="POST",route="/orders",status="202"} ${a[2]}
`;

describe('prometheus histogram quantiles', () => {
  it('sums label sets and interpolates inside the bucket', () => {
    const buckets = readBuckets(
      exposition([50, 90, 100], [0, 0, 0]),
      'hunt_http_request_duration_seconds',
    );
    expect(buckets.get(0.01)).toBe(50);
    expect(quantileMs(buckets, 0.5)).toBeCloseTo(10, 5);
    // rank 70 lies 20/40 of the way through the 10..100 ms bucket.
    expect(quantileMs(buckets, 0.7)).toBeCloseTo(55, 5);
  });

  it('works on the delta between two scrapes', () => {
    const before = readBuckets(
      exposition([50, 90, 100], [0, 0, 0]),
      'hunt_http_request_duration_seconds',
    );
    const after = readBuckets(
      exposition([50, 90, 100], [0, 10, 10]),
      'hunt_http_request_duration_seconds',
    );
    const delta = subtract(after, before);
    expect(quantileMs(delta, 0.99)).toBeGreaterThan(10);
    expect(quantileMs(delta, 0.99)).toBeLessThanOrEqual(100);
    expect(quantileMs(subtract(before, before), 0.99)).toBeNull();
  });
});
