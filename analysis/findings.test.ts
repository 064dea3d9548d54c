import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Backend, Summary } from '../contract/schema.ts';
import { generateResultsDir } from '../reports/fixtures/generate.ts';
import { buildFindings } from './findings.ts';
import { buildMatrix } from './matrix.ts';

const root = mkdtempSync(join(tmpdir(), 'hunt-findings-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs as `hunt compare` leaves them, read back from their summary.json. */
async function runs(
  cells: {
    backend: Backend;
    design: string;
    plant?: (s: Summary, seed: number) => void;
    /** Added to each repeat's seed: another draw from the same model. */
    seedOffset?: number;
  }[],
  repeats: number,
): Promise<Summary[]> {
  const out: Summary[] = [];
  for (let seed = 1; seed <= repeats; seed++)
    for (const c of cells) {
      const runId = `r${seed}-${c.backend}-${c.design}`;
      const dir = join(root, `${repeats}-${runId}-${out.length}`);
      const plant = c.plant;
      const drawn = seed + (c.seedOffset ?? 0);
      await generateResultsDir(dir, {
        backend: c.backend,
        requests: 400,
        durationS: 30,
        seed: drawn,
        runId,
        design: c.design,
        ...(plant ? { plant: (s: Summary) => plant(s, drawn) } : {}),
      });
      out.push(Summary.parse(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))));
    }
  return out;
}

const failedSales = (s: Summary, seed: number) => {
  const orders = 300 + 10 * seed;
  s.symptoms.sales.notAccepted = { orders, cents: orders * 1_500 };
};
const noFailedSales = (s: Summary) => {
  s.symptoms.sales.notAccepted = { orders: 0, cents: 0 };
};

describe('findings', () => {
  it('finds a planted difference, and names its figures and runs', async () => {
    const summaries = await runs(
      [
        { backend: 'kafka', design: 'naive', plant: failedSales },
        { backend: 'kafka', design: 'hardened', plant: noFailedSales },
      ],
      3,
    );
    const f = buildFindings(buildMatrix(summaries));
    const hit = f.find((x) => x.text.includes('removed the orders not accepted'));
    expect(hit?.text).toMatch(
      /^On kafka, the hardened design \(against naive\) removed the orders not accepted: kafka · naive 320 \[310–330\] against kafka · hardened 0 \[0–0\] .*3 repeats per row/,
    );
    expect(hit?.runs).toEqual(expect.arrayContaining(['r1-kafka-naive', 'r3-kafka-hardened']));
    expect(f[0]!.text).toMatch(/rest on 2 configurations with 3 repeats per row/);
  });

  it('reports no measurable difference between rows drawn from one model', async () => {
    // One generator for every cell (the fixture's model depends on its backend), each row on
    // its own seeds, and orders not accepted that vary run by run: the rows' medians differ
    // as repeats do, but not what they measure.
    const noisySales = (s: Summary, seed: number) => {
      const orders = 300 + ((seed * 37) % 11) * 3;
      s.symptoms.sales.notAccepted = { orders, cents: orders * 1_500 };
    };
    const asKinesis = (s: Summary, seed: number) => {
      noisySales(s, seed);
      s.backend = 'kinesis';
    };
    const summaries = await runs(
      [
        { backend: 'kafka', design: 'naive', plant: noisySales },
        { backend: 'kafka', design: 'hardened', plant: noisySales, seedOffset: 100 },
        { backend: 'kafka', design: 'naive', plant: asKinesis, seedOffset: 200 },
        { backend: 'kafka', design: 'hardened', plant: asKinesis, seedOffset: 300 },
      ],
      3,
    );
    // Not the same runs under other names: the rows' figures differ.
    const orders = (design: string, backend: string) =>
      summaries
        .filter((x) => x.design === design && x.backend === backend)
        .map((x) => x.symptoms.sales.notAccepted?.orders);
    expect(orders('naive', 'kafka')).not.toEqual(orders('hardened', 'kafka'));
    expect(orders('naive', 'kinesis')).not.toEqual(orders('hardened', 'kinesis'));
    const texts = buildFindings(buildMatrix(summaries)).map((x) => x.text);
    expect(texts.some((t) => /reduced|removed|increased|mattered/.test(t))).toBe(false);
    expect(texts).toContainEqual(
      expect.stringMatching(
        /^On kafka, the hardened design \(against naive\): no measurable difference in the backlog peak, .* \(intervals overlap, 3 repeats per row\)/,
      ),
    );
    expect(texts).toContainEqual(
      expect.stringMatching(
        /^On the hardened design, Kinesis \(against Kafka\): no measurable difference/,
      ),
    );
    expect(texts).toContainEqual(expect.stringMatching(/^The backend swap was not needed/));
  });

  it('says a single run measures nothing', async () => {
    const summaries = await runs(
      [
        { backend: 'kafka', design: 'naive', plant: failedSales },
        { backend: 'kafka', design: 'hardened', plant: noFailedSales },
      ],
      1,
    );
    const texts = buildFindings(buildMatrix(summaries)).map((x) => x.text);
    expect(texts.join('\n')).not.toMatch(/removed|reduced|no measurable difference/);
    expect(texts).toContainEqual(expect.stringMatching(/single run has no interval/));
    expect(texts).toContainEqual(
      expect.stringMatching(
        /observed without an interval \(1 repeat per row, so not a measured difference\): .*orders not accepted kafka · naive 310 \(n=1\) against kafka · hardened 0/,
      ),
    );
  });

  it('attributes a difference to the one switch that sets two rows apart', async () => {
    const all = { admissionBreaker: true, producerBreaker: true, dlq: true };
    const switches = (over: Record<string, boolean>) => (s: Summary, seed: number) => {
      s.switches = { ...all, ...over };
      if (over.admissionBreaker === false) failedSales(s, seed);
      else noFailedSales(s);
    };
    const summaries = await runs(
      [
        {
          backend: 'kafka',
          design: 'naive',
          plant: switches({ admissionBreaker: false, producerBreaker: false, dlq: false }),
        },
        { backend: 'kafka', design: 'hardened', plant: switches({}) },
        { backend: 'kafka', design: 'hardened', plant: switches({ admissionBreaker: false }) },
        { backend: 'kafka', design: 'hardened', plant: switches({ dlq: false }) },
      ],
      3,
    );
    const texts = buildFindings(buildMatrix(summaries)).map((x) => x.text);
    expect(texts).toContainEqual(
      expect.stringMatching(
        /^On kafka, turning admissionBreaker on \(kafka · hardened \(admissionBreaker off, dlq on\) → kafka · hardened \(admissionBreaker on, dlq on\)\) removed the orders not accepted: .*320 \[310–330\]/,
      ),
    );
    expect(texts).toContainEqual(
      expect.stringMatching(
        /^On kafka, turning dlq on .*: no measurable difference in the backlog peak, .*orders not accepted/,
      ),
    );
    expect(texts).toContainEqual(
      expect.stringMatching(
        /^On kafka, the hardened \(admissionBreaker on, dlq on\) design \(against naive\) removed the orders not accepted/,
      ),
    );
  });
});
