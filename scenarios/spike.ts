/**
 * spike: a base rate, then one jump to ten times that within a second, held, and back:
 * the simplest shape that shows shedding, breakers and backlog drain.
 *   base 40% of DURATION | 1 s up to 10x | hold to 60% | 1 s down | base to the end
 *   RATE=30 DURATION=2m k6 run scenarios/spike.ts
 */
import type { Options } from 'k6/options';
import { cfg, checkEngine, common, fire, scaled, vus } from './lib/harness.ts';

export { handleSummary } from './lib/summary.ts';

const SPIKE_FACTOR = 10;
const base = scaled(cfg.rate ?? 20);
const peak = base * SPIKE_FACTOR;
const totalMs = Math.round((cfg.durationS ?? 60) * 1000);
const edgeMs = Math.min(1000, Math.round(totalMs * 0.05));
const baseMs = Math.round(totalMs * 0.4);
const holdMs = Math.round(totalMs * 0.6) - baseMs - edgeMs;
const ms = (n: number) => `${n}ms`;

export const options: Options = {
  ...common,
  scenarios: {
    spike: {
      executor: 'ramping-arrival-rate',
      startRate: base,
      timeUnit: '1s',
      stages: [
        { duration: ms(baseMs), target: base },
        { duration: ms(edgeMs), target: peak },
        { duration: ms(holdMs), target: peak },
        { duration: ms(edgeMs), target: base },
        { duration: ms(totalMs - baseMs - holdMs - 2 * edgeMs), target: base },
      ],
      ...vus(peak),
    },
  },
};

export const setup = checkEngine;
export default fire;
