/**
 * smoke: a few seconds at a low constant rate, for CI and for "is the wiring right?".
 *   k6 run scenarios/smoke.ts        (settings: scenarios/README.md)
 */
import type { Options } from 'k6/options';
import { cfg, checkEngine, common, duration, fire, scaled, vus } from './lib/harness.ts';

export { handleSummary } from './lib/summary.ts';

const rate = scaled(cfg.rate ?? 5);

export const options: Options = {
  ...common,
  scenarios: {
    smoke: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration: duration(10),
      ...vus(rate),
    },
  },
};

export const setup = checkEngine;
export default fire;
