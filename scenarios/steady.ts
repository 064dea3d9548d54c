/**
 * steady: a constant arrival rate (open model) for a minute: the baseline every other
 * scenario is compared against.
 *   RATE=200 k6 run scenarios/steady.ts
 */
import type { Options } from 'k6/options';
import { cfg, checkEngine, common, duration, fire, scaled, vus } from './lib/harness.ts';

export { handleSummary } from './lib/summary.ts';

const rate = scaled(cfg.rate ?? 50);

export const options: Options = {
  ...common,
  scenarios: {
    steady: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration: duration(60),
      ...vus(rate),
    },
  },
};

export const setup = checkEngine;
export default fire;
