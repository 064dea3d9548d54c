/**
 * peak-sale: replays a rate profile (scenarios/profiles/, default flash-sale: baseline,
 * the opening as a near-vertical burst, aftershocks, decay) as ramping-arrival-rate stages.
 *   k6 run scenarios/peak-sale.ts
 *   PROFILE=my-sale SCALE=0.25 DURATION=2m k6 run scenarios/peak-sale.ts
 * PROFILE is a name in scenarios/profiles/ or a path to a profile JSON; SCALE multiplies
 * every rate; DURATION stretches or compresses the profile's time axis to that length.
 */
import type { Options } from 'k6/options';
import { cfg, checkEngine, common, fire, readScenarioFile, vus } from './lib/harness.ts';
import { parseProfile, profileToRamp } from './lib/profile.ts';

export { handleSummary } from './lib/summary.ts';

const profilePath = /[/\\]|\.json$/.test(cfg.profile)
  ? cfg.profile
  : `profiles/${cfg.profile}.json`;
const profile = parseProfile(JSON.parse(readScenarioFile(profilePath)), profilePath);
const ramp = profileToRamp(profile, { scale: cfg.scale, durationS: cfg.durationS });

export const options: Options = {
  ...common,
  scenarios: {
    peak_sale: {
      executor: 'ramping-arrival-rate',
      startRate: ramp.startRate,
      timeUnit: '1s',
      stages: ramp.stages,
      ...vus(ramp.peakRate),
    },
  },
};

export const setup = checkEngine;
export default fire;
