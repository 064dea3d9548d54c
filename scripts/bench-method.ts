/**
 * `npm run bench:method`: what the findings' method can tell at a number of runs per cell,
 * simulated (reports/stats-simulation.ts, seeded): the share of A/A comparisons that name
 * any difference (the false-finding rate, at most 5% by design), and the power to name a
 * 1.5× and a 2× shift of one primary symptom, for one pair of rows and for the demo's
 * family (4 pairs: naive/hardened on each backend, each design across backends).
 *
 *   npm run bench:method [-- --comparisons N --runs 3,4,5,6,8,10 --cv 0.2]
 */
import { parseArgs } from 'node:util';
import { ALPHA, pFloor } from '../analysis/stats.ts';
import { logNormal, PRIMARY_COUNT, simulate } from '../analysis/stats-simulation.ts';
import { table } from '../common/table.ts';

const { values } = parseArgs({
  options: {
    comparisons: { type: 'string', default: '4000' },
    runs: { type: 'string', default: '3,4,5,6,8,10' },
    cv: { type: 'string', default: '0.2,0.5' },
  },
});
const comparisons = Number(values.comparisons);
const runsList = values.runs.split(',').map(Number);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

console.log(
  `Method: exact rank test per symptom and pair, ${PRIMARY_COUNT} primary of 13 symptoms, family-wise ${ALPHA * 100}% (Bonferroni gatekeeping); ${comparisons} simulated comparisons per cell.`,
);
for (const cv of values.cv.split(',').map(Number)) {
  const dist = logNormal(cv);
  const rows: string[][] = [];
  for (const runs of runsList)
    for (const pairs of [1, 4]) {
      const seed = 1_000 * runs + pairs;
      const aa = simulate({ dist, runs, pairs, comparisons, seed }).any;
      const power = (ratio: number) =>
        simulate({ dist, runs, pairs, comparisons, seed: seed + 7, ratio, shifted: 1 }).shifted;
      rows.push([
        String(runs),
        pairs === 1 ? '1 pair (3 primary)' : 'demo: 4 pairs (12 primary)',
        pFloor(runs, runs).toPrecision(2),
        (ALPHA / (PRIMARY_COUNT * pairs)).toPrecision(2),
        pct(aa),
        pct(power(1.5)),
        pct(power(2)),
      ]);
    }
  console.log(`\nRun-to-run noise: ${dist.name}`);
  console.log(
    table(
      [
        'runs/row',
        'family',
        'p floor',
        'primary level',
        'A/A any difference',
        'power 1.5×',
        'power 2×',
      ],
      rows,
    ),
  );
}
