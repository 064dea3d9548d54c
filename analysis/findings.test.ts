import { describe, expect, it } from 'vitest';
import { seededRandom } from '../common/random.ts';
import type { Backend, Summary } from '../contract/schema.ts';
import { sampleSummary } from '../reports/fixtures/summary.ts';
import { compareRows, type Finding } from './findings.ts';
import { buildMatrix } from './matrix.ts';

type Cell = { backend: Backend; configuration: string; design?: string };

/**
 * Runs as `hunt compare` records them: each cell repeated, interleaved, its figures drawn
 * around the cell's own levels (`unfulfilled`, `backlog`) with the run's noise.
 */
function runs(
  cells: (Cell & {
    unfulfilled: number;
    backlog: number;
    over?: (s: Summary, i: number) => void;
  })[],
  repeats: number,
  seed = 1,
): Summary[] {
  const rand = seededRandom(seed);
  const noise = (level: number) => (level === 0 ? 0 : Math.round(level * (0.9 + 0.2 * rand())));
  const out: Summary[] = [];
  for (let i = 1; i <= repeats; i++)
    for (const c of cells) {
      const s = sampleSummary({
        runId: `r${i}-${c.backend}-${c.configuration}`,
        backend: c.backend,
        configuration: c.configuration,
        design: c.design ?? c.configuration,
        durationS: 120,
        backlog: { max: noise(c.backlog), drainS: noise(20), drained: true },
      });
      s.symptoms.sales.notFulfilled = { orders: noise(c.unfulfilled), cents: 0 };
      s.symptoms.detect = { ...s.symptoms.detect, lagS: noise(4) };
      c.over?.(s, i);
      out.push(s);
    }
  return out;
}

const find = (fs: Finding[], rows: [string, string], symptom: string) =>
  fs.find((f) => f.rows[0] === rows[0] && f.rows[1] === rows[1] && f.symptom === symptom);

/** Naive against hardened on one backend, the incident's levels. */
const designPair = (repeats: number) =>
  compareRows(
    buildMatrix(
      runs(
        [
          { backend: 'kafka', configuration: 'naive', unfulfilled: 500, backlog: 3000 },
          { backend: 'kafka', configuration: 'hardened', unfulfilled: 0, backlog: 800 },
        ],
        repeats,
      ),
    ),
  );

describe('findings', () => {
  it('names a difference between naive and hardened, with its shift, interval and runs', () => {
    const c = designPair(5);
    const f = find(c.findings, ['kafka · naive', 'kafka · hardened'], 'notFulfilled')!;
    expect(f).toMatchObject({
      outcome: 'difference',
      direction: 'lower',
      primary: true,
      n: [5, 5],
      p: expect.closeTo(2 / 252, 12),
    });
    expect(f.estimate!).toBeLessThan(-400);
    expect(f.interval![1]).toBeLessThan(0);
    expect(f.runs).toEqual(expect.arrayContaining(['r1-kafka-naive', 'r5-kafka-hardened']));
    // By configuration name, never by run id.
    expect(f.text).toMatch(
      /^kafka · hardened against kafka · naive, orders not fulfilled \(primary\): DIFFERENCE, lower: −/,
    );
    expect(c.findings.every((x) => !/r\d-kafka/.test(x.text))).toBe(true);
    expect(c.answer.lines[0]).toMatch(
      /^hardened against naive: on kafka: .*orders not fulfilled −/,
    );
  });

  it('says inconclusive, and how many runs would settle it, where 3 repeats cannot', () => {
    const c = designPair(3);
    const f = find(c.findings, ['kafka · naive', 'kafka · hardened'], 'notFulfilled')!;
    expect(f.outcome).toBe('inconclusive');
    expect(f.reason).toMatch(/no p-value can reach its level 0\.017: needs 5 runs per row/);
    expect(c.findings.some((x) => x.outcome === 'difference')).toBe(false);
    expect(c.findings.every((x) => !/no difference|not needed/.test(x.text))).toBe(true);
  });

  it('keeps two names of one design apart: an A/A comparison finds no difference', () => {
    const cells = ['a', 'b'].map((configuration) => ({
      backend: 'kafka' as const,
      configuration,
      design: 'hardened',
      unfulfilled: 40,
      backlog: 1000,
    }));
    const matrix = buildMatrix(runs(cells, 5, 3));
    expect(matrix.map((r) => [r.configuration, r.runs.length])).toEqual([
      ['a', 5],
      ['b', 5],
    ]);
    const c = compareRows(matrix);
    expect(c.findings).toHaveLength(13);
    expect(c.findings.filter((f) => f.outcome === 'difference')).toEqual([]);
    // Identical in every run: equivalent, its interval inside the margin.
    expect(find(c.findings, ['kafka · a', 'kafka · b'], 'lost')).toMatchObject({
      outcome: 'equivalent',
      interval: [0, 0],
      margin: 0,
    });
  });

  it('keeps a drain that never finished censored, and leaves incomplete runs out, named', () => {
    const summaries = runs(
      [
        {
          backend: 'kafka',
          configuration: 'naive',
          unfulfilled: 500,
          backlog: 3000,
          over: (s, i) => {
            s.backlog = { max: s.backlog.max, drainS: 55 + i, drained: false };
            s.complete = false;
            s.undrainedOnly = true;
          },
        },
        {
          backend: 'kafka',
          configuration: 'hardened',
          unfulfilled: 0,
          backlog: 800,
          // The fourth run failed: its figures must not count.
          over: (s, i) => {
            if (i === 4) {
              s.complete = false;
              s.symptoms.sales.notFulfilled = { orders: 9_999, cents: 0 };
            }
          },
        },
      ],
      6,
    );
    const matrix = buildMatrix(summaries);
    expect(matrix[0]!.figures.drainS).toMatchObject({ n: 6, median: null, censored: 6, bound: 56 });
    const c = compareRows(matrix);
    expect(c.excluded).toEqual([{ row: 'kafka · hardened', runId: 'r4-kafka-hardened' }]);
    expect(c.notes.join('\n')).toMatch(
      /Left out of the statistics, incomplete: 1 run of kafka · hardened\./,
    );
    const drain = find(c.findings, ['kafka · naive', 'kafka · hardened'], 'drainS')!;
    expect(drain).toMatchObject({ censored: [6, 0], estimate: null, interval: null, n: [6, 5] });
    expect(drain.text).toMatch(/> 56 s \(6\/6\) against/);
    // Only the split as observed is that extreme (5 censored score at most 25): 1 / C(11, 5).
    expect(drain.p).toBeCloseTo(1 / 462, 12);
    expect(
      find(c.findings, ['kafka · naive', 'kafka · hardened'], 'notFulfilled')!.figures[1],
    ).toMatchObject({
      n: 5,
      median: 0,
    });
  });

  it('answers the swap: yes, no (equivalent within the margin) or inconclusive', () => {
    const cell = (backend: Backend, configuration: string, unfulfilled: number) => ({
      backend,
      configuration,
      unfulfilled,
      backlog: 1000,
    });
    const swap = (kinesisHardened: number, repeats: number) =>
      compareRows(
        buildMatrix(
          runs(
            [
              cell('kafka', 'naive', 500),
              cell('kafka', 'hardened', 300),
              cell('kinesis', 'naive', 500),
              cell('kinesis', 'hardened', kinesisHardened),
            ],
            repeats,
          ),
        ),
      ).answer;
    const yes = swap(0, 6);
    expect(yes.swapNeeded).toBe('yes');
    expect(yes.reason).toMatch(/^on hardened, kinesis lowered the orders not fulfilled \(−/);
    expect(yes.lines.at(-1)).toMatch(/^Was the move to kinesis needed\? yes/);
    const open = swap(0, 3);
    expect(open.swapNeeded).toBe('inconclusive');
    expect(open.reason).toMatch(/6 runs per cell \(now 3\) would let a difference show/);
    // Equal levels, 8 runs: every primary interval within its margin, or not?
    const same = compareRows(
      buildMatrix(
        runs(
          [cell('kafka', 'hardened', 0), cell('kinesis', 'hardened', 0)].map((c) => ({
            ...c,
            backlog: 0,
            over: (s: Summary) => {
              s.symptoms.detect = { ...s.symptoms.detect, lagS: 3 };
            },
          })),
          8,
        ),
      ),
    );
    expect(same.answer.swapNeeded).toBe('no');
    expect(same.answer.reason).toMatch(
      /equivalent to kinesis \(or better\) in the backlog peak \(margin ±100\)/,
    );
  });

  it('says what a backend difference rests on where the design leaves a known stall', () => {
    const naive = (s: Summary) => {
      s.switches = { dlq: false, admissionBreaker: false };
    };
    const c = compareRows(
      buildMatrix(
        runs(
          [
            {
              backend: 'kafka',
              configuration: 'naive',
              unfulfilled: 600,
              backlog: 3000,
              over: naive,
            },
            {
              backend: 'kinesis',
              configuration: 'naive',
              unfulfilled: 400,
              backlog: 3000,
              over: naive,
            },
          ],
          6,
        ),
      ),
    );
    const f = find(c.findings, ['kafka · naive', 'kinesis · naive'], 'notFulfilled')!;
    expect(f.outcome).toBe('difference');
    expect(f.restsOn).toMatch(/poison event stalls the consumer/);
    expect(f.text).toMatch(/rests on: without a DLQ/);
  });

  it('compares each configuration with the first, and two that differ in one switch alone', () => {
    const sw = (on: Record<string, boolean>) => (s: Summary) => {
      s.switches = { admissionBreaker: true, dlq: true, ...on };
    };
    const cells = [
      ['naive', 500, { admissionBreaker: false, dlq: false }],
      ['hardened', 0, {}],
      ['hardened-no-dlq', 0, { dlq: false }],
    ] as const;
    const c = compareRows(
      buildMatrix(
        runs(
          cells.map(([configuration, unfulfilled, on]) => ({
            backend: 'kafka' as const,
            configuration,
            design: configuration.split('-')[0],
            unfulfilled,
            backlog: 1000,
            over: sw(on),
          })),
          6,
        ),
      ),
    );
    const pairs = [...new Set(c.findings.map((f) => `${f.rows[0]} → ${f.rows[1]}`))];
    expect(pairs).toEqual([
      'kafka · naive → kafka · hardened',
      'kafka · naive → kafka · hardened-no-dlq',
      'kafka · hardened-no-dlq → kafka · hardened',
    ]);
    expect(c.answer.lines[2]).toMatch(/^dlq on \(hardened-no-dlq → hardened\): on kafka: /);
  });

  it('passes the level of the primary differences on to the secondary symptoms (Holm)', () => {
    const refused = (orders: number) => (s: Summary) => {
      s.symptoms.sales.notAccepted = { orders, cents: 0 };
    };
    const c = compareRows(
      buildMatrix(
        runs(
          [
            {
              backend: 'kafka',
              configuration: 'naive',
              unfulfilled: 500,
              backlog: 3000,
              over: refused(0),
            },
            {
              backend: 'kafka',
              configuration: 'hardened',
              unfulfilled: 0,
              backlog: 800,
              over: refused(100),
            },
          ],
          8,
        ),
      ),
    );
    const pair: [string, string] = ['kafka · naive', 'kafka · hardened'];
    // Two of three primary symptoms differ (time to detect does not): 5% × 2/3 passes on,
    // and the smallest secondary p-value is judged at that over the 10 secondary tests.
    expect(find(c.findings, pair, 'detectS')!.outcome).not.toBe('difference');
    expect(find(c.findings, pair, 'notAccepted')).toMatchObject({
      outcome: 'difference',
      direction: 'higher',
      primary: false,
      threshold: expect.closeTo((0.05 * 2) / 3 / 10, 12),
    });
  });
});
