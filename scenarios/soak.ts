/**
 * soak: a moderate constant rate for a long time (30 minutes by default), to surface slow
 * leaks, backlog creep and broker retention effects that short runs never reach.
 *   DURATION=2h RATE=40 k6 run scenarios/soak.ts
 */
import type { Options } from 'k6/options';
import { cfg, checkEngine, common, duration, fire, scaled, vus } from './lib/harness.ts';

export { handleSummary } from './lib/summary.ts';

const rate = scaled(cfg.rate ?? 30);

export const options: Options = {
  ...common,
  scenarios: {
    soak: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration: duration(30 * 60),
      ...vus(rate),
    },
  },
};

export const setup = checkEngine;
export default fire;
