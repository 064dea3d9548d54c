import { describe, expect, it } from 'vitest';
import { cascadeFigures, designOf } from './cascade.ts';

describe('cascade figures', () => {
  it("reads the downstream's load and errors, and the engine's retries per event", () => {
    const fulfillment = {
      offered: 1000,
      served: 900,
      refused: 40,
      timedOut: 30,
      errors5xx: 20,
      errors4xx: 10,
    };
    const engine = {
      counts: { delivered: 800, downstream: { calls: 1000, retries: 200, failures: 100 } },
    };
    expect(cascadeFigures(fulfillment, engine)).toEqual({
      offered: 1000,
      served: 900,
      errorRate: 0.1,
      retries: 200,
      retriesPerEvent: 0.25,
    });
  });
  it('reports a field the services do not give as unknown, never 0', () => {
    // A fulfillment service and an engine from before these fields.
    expect(cascadeFigures({ fulfilled: 10, batches: 2 }, { counts: { delivered: 5 } })).toEqual({
      offered: null,
      served: null,
      errorRate: null,
      retries: null,
      retriesPerEvent: null,
    });
    expect(cascadeFigures(null, null).errorRate).toBeNull();
    expect(cascadeFigures({ offered: 10, served: 10, errors5xx: 1 }, null).errorRate).toBeNull();
  });
  it("reads the engine's design and switches, or null", () => {
    expect(designOf({ design: 'naive', switches: { dlq: false, x: 'on' } })).toEqual({
      design: 'naive',
      switches: { dlq: false },
    });
    expect(designOf({ counts: {} })).toEqual({ design: null, switches: null });
  });
});
