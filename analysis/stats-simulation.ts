/**
 * Simulated comparisons for the method's own checks (docs/method.md): how often the
 * findings' procedure (exact rank test per symptom and pair, gatekeeping over all of them)
 * names any difference on A/A data, and how often it finds a given shift (power). Seeded,
 * so every figure is the same run to run.
 */
import { seededRandom } from '../common/random.ts';
import { gatekeep, type Obs, rankTest } from './stats.ts';

/** The symptoms of one pair: the findings' 13, of which 3 primary. */
export const SYMPTOM_COUNT = 13;
export const PRIMARY_COUNT = 3;

export interface Distribution {
  name: string;
  /** Whether draws repeat (counts): ties make the exact test conservative. */
  ties: boolean;
  draw: (rand: () => number) => number;
}

const normal = (rand: () => number) => {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
};

export const DISTRIBUTIONS: Distribution[] = [
  { name: 'normal', ties: false, draw: (r) => 100 + 15 * normal(r) },
  { name: 'log-normal', ties: false, draw: (r) => Math.exp(4 + 0.5 * normal(r)) },
  // Pareto with shape 1.2: a heavy tail with a finite mean and no variance.
  { name: 'heavy tail (Pareto 1.2)', ties: false, draw: (r) => 10 / (1 - r()) ** (1 / 1.2) },
  {
    // 70% zeros, else a geometric count: most runs have none, a few several.
    name: 'counts with many zeros',
    ties: true,
    draw: (r) => (r() < 0.7 ? 0 : 1 + Math.floor(Math.log(1 - r()) / Math.log(0.6))),
  },
];

/** Log-normal with a coefficient of variation `cv`: run-to-run noise of a positive figure. */
export const logNormal = (cv: number): Distribution => {
  const sigma = Math.sqrt(Math.log(1 + cv * cv));
  return {
    name: `log-normal, CV ${cv * 100}%`,
    ties: false,
    draw: (r) => Math.exp(sigma * normal(r)),
  };
};

const sample = (d: Distribution, rand: () => number, n: number, scale = 1): Obs[] =>
  Array.from({ length: n }, () => ({ value: d.draw(rand) * scale, censored: false }));

/**
 * The share of simulated comparisons in which the procedure names at least one difference:
 * `pairs` pairs of rows × SYMPTOM_COUNT symptoms, `runs` runs per row. Rows of a pair come
 * from one distribution, except that in the first pair the first `shifted` symptoms have
 * their second row multiplied by `ratio`. `any`: the share naming any difference (false
 * findings when nothing is shifted); `shifted`: the share finding every shifted one (power).
 */
export function simulate(o: {
  dist: Distribution;
  runs: number;
  pairs: number;
  comparisons: number;
  seed: number;
  ratio?: number;
  shifted?: number;
}): { any: number; shifted: number } {
  const rand = seededRandom(o.seed);
  const shifted = o.shifted ?? 0;
  let any = 0;
  let found = 0;
  const draw = (pair: number, s: number) => {
    const isShifted = pair === 0 && s < shifted;
    const a = sample(o.dist, rand, o.runs);
    const b = sample(o.dist, rand, o.runs, isShifted ? (o.ratio ?? 1) : 1);
    return { p: rankTest(a, b).p, primary: s < PRIMARY_COUNT, shifted: isShifted };
  };
  for (let c = 0; c < o.comparisons; c++) {
    const hs: { p: number; primary: boolean; shifted: boolean }[] = [];
    for (let pair = 0; pair < o.pairs; pair++)
      for (let s = 0; s < PRIMARY_COUNT; s++) hs.push(draw(pair, s));
    // The secondary symptoms can be rejected only with a level the primary ones pass on:
    // when none of those is rejected, drawing them changes nothing (and costs most).
    if (gatekeep(hs).some(Boolean))
      for (let pair = 0; pair < o.pairs; pair++)
        for (let s = PRIMARY_COUNT; s < SYMPTOM_COUNT; s++) hs.push(draw(pair, s));
    const rejected = gatekeep(hs);
    if (rejected.some(Boolean)) any++;
    if (shifted > 0 && hs.every((h, i) => !h.shifted || rejected[i])) found++;
  }
  return { any: any / o.comparisons, shifted: found / o.comparisons };
}

/** The false-finding rate on A/A data: the share of comparisons naming any difference. */
export const aaRate = (o: {
  dist: Distribution;
  runs: number;
  pairs: number;
  comparisons: number;
  seed: number;
}) => simulate(o).any;
