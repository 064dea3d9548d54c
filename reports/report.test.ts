import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HISTOGRAM_FILES } from '../contract/schema.ts';
import { generateResultsDir } from './fixtures/generate.ts';
import { logNormal, rng } from './fixtures/model.ts';
import type { ReportModel } from './model.ts';
import { writeReport } from './report.ts';

const root = mkdtempSync(join(tmpdir(), 'report-'));

/** Nearest-rank percentile over all samples (rank in integers: 0.999 * n is inexact in floats). */
function exact(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((Math.round(p * 1000) * sorted.length) / 100_000)) - 1]!;
}

function expectWithinHdr(got: number, want: number) {
  // HDR reports the top of the value's bucket: never below, at most 0.1% (plus 1 µs) above.
  expect(got).toBeGreaterThanOrEqual(want - 1e-9);
  expect(got).toBeLessThanOrEqual(want * 1.001 + 0.001);
}

describe('writeReport', () => {
  it('states percentiles equal to the exact ones from all samples, to HDR precision', async () => {
    const rand = rng(42);
    // Heavy-tailed, µs resolution like k6's CSV, with a few huge outliers.
    const http = Array.from({ length: 30_000 }, (_, i) =>
      Number((i % 997 === 0 ? 5000 + rand() * 5000 : logNormal(rand, 12, 0.8)).toFixed(3)),
    );
    const e2e = Array.from({ length: 25_000 }, () => Number(logNormal(rand, 80, 1.1).toFixed(3)));
    const dir = join(root, 'known');
    await generateResultsDir(dir, {
      backend: 'kafka',
      requests: 0,
      durationS: 60,
      httpLatenciesMs: http,
      e2eLatenciesMs: e2e,
    });
    const { files } = await writeReport({ results: [dir], out: join(root, 'known-out') });
    const model = JSON.parse(readFileSync(files.summary, 'utf8')) as ReportModel;
    const s = model.runs[0]!.summary;
    expect(model.hdrSignificantDigits).toBe(3);
    for (const [key, p] of [
      ['p50', 50],
      ['p90', 90],
      ['p99', 99],
      ['p999', 99.9],
      ['max', 100],
    ] as const) {
      expectWithinHdr(s.http![key], exact(http, p));
      expectWithinHdr(s.e2e![key], exact(e2e, p));
    }
    expect(model.runs[0]!.sources.http).toMatch(/30,000 requests/);
    expect(model.runs[0]!.sources.e2e).toMatch(/25,000 events/);
  });

  it('escapes every name from the results directory', async () => {
    const label =
      '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
    const dir = join(root, 'evil');
    await generateResultsDir(dir, { backend: 'kinesis', requests: 2000, durationS: 30, label });
    const { files } = await writeReport({ results: [dir], out: join(root, 'evil-out') });
    const html = readFileSync(files.html, 'utf8');
    expect(html).not.toContain('window.__pwned=1</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    // The page's own three script elements, and no others.
    expect(html.match(/<script[\s>]/g)).toHaveLength(3);
    // summary.json keeps the names as they were: escaping is the page's business.
    const model = JSON.parse(readFileSync(files.summary, 'utf8')) as ReportModel;
    expect(model.runs[0]!.summary.scenario).toBe(`peak-sale${label}`);
  });

  it('flags regressions against a baseline and writes JUnit per budget and integrity check per run', async () => {
    const base = join(root, 'base');
    const run = join(root, 'run');
    const latencies = (scale: number) =>
      Array.from({ length: 3000 }, (_, i) => scale * (1 + (i % 50)));
    await generateResultsDir(base, {
      backend: 'kafka',
      requests: 0,
      durationS: 30,
      httpLatenciesMs: latencies(1),
    });
    await generateResultsDir(run, {
      backend: 'kafka',
      requests: 0,
      durationS: 30,
      httpLatenciesMs: latencies(1.5),
    });
    const { model, files } = await writeReport({
      results: [run],
      baseline: [base],
      out: join(root, 'regress-out'),
      budgets: join(import.meta.dirname, 'fixtures', 'budgets.yaml'),
    });
    const keys = model.regressions.map((r) => r.key);
    expect(keys).toContain('http.p99');
    expect(keys).not.toContain('lost');
    const html = readFileSync(files.html, 'utf8');
    expect(html).toContain('▲ regression');
    const junit = readFileSync(files.junit, 'utf8');
    // Each budget, and the two integrity checks every run must pass first.
    expect(junit.match(/<testcase /g)).toHaveLength(model.runs[0]!.summary.budgets.length + 2);
  });
});

describe('end-to-end samples beside delivered − DLQ', () => {
  it('match for a run whose every applied event was recorded', async () => {
    const dir = join(root, 'samples-whole');
    await generateResultsDir(dir, { backend: 'kafka', requests: 3000, durationS: 30 });
    const { model, files } = await writeReport({ results: [dir], out: join(root, 'whole-out') });
    const { count, deliveredMinusDlq } = model.runs[0]!.summary.e2eSamples!;
    expect(count).toBeGreaterThan(2000);
    expect(count).toBe(deliveredMinusDlq);
    const html = readFileSync(files.html, 'utf8');
    expect(html).toContain(`${count!.toLocaleString('en-US')} = delivered − DLQ`);
    expect(html).not.toContain('missing');
  });

  it('name the gap when latency intervals were lost', async () => {
    const dir = join(root, 'samples-gap');
    await generateResultsDir(dir, { backend: 'kafka', requests: 3000, durationS: 30 });
    // Lose the interval lines of two seconds, as a collector that dropped its reads would.
    const file = join(dir, HISTOGRAM_FILES.e2e);
    const lines = readFileSync(file, 'utf8').split('\n');
    const intervals = lines.flatMap((l, i) => (/^\d/.test(l) ? [i] : []));
    const dropped = new Set(intervals.slice(10, 12));
    writeFileSync(file, lines.filter((_, i) => !dropped.has(i)).join('\n'));
    const { model, files } = await writeReport({ results: [dir], out: join(root, 'gap-out') });
    const { count, deliveredMinusDlq } = model.runs[0]!.summary.e2eSamples!;
    const missing = deliveredMinusDlq! - count!;
    expect(missing).toBeGreaterThan(0);
    const html = readFileSync(files.html, 'utf8');
    const named = `${count!.toLocaleString('en-US')} of ${deliveredMinusDlq!.toLocaleString('en-US')} delivered − DLQ: ${missing.toLocaleString('en-US')} missing`;
    // In the run's card and in the runs table.
    expect(html.split(named)).toHaveLength(3);
  });
});

describe('a run that left no summary.json', () => {
  it('is reported from what it did leave, marked incomplete', async () => {
    const dir = join(root, 'killed');
    await generateResultsDir(dir, { backend: 'kafka', requests: 3000, durationS: 30 });
    rmSync(join(dir, 'summary.json'));
    const { model } = await writeReport({ results: [dir], out: join(root, 'killed-out') });
    const s = model.runs[0]!.summary;
    expect(s.complete).toBe(false);
    expect(s.accepted).toBeGreaterThan(2900);
    expect(s.http?.p99).toBeGreaterThan(0);
    expect(s.backlog.max).toBeGreaterThan(0);
  });
});

describe('the matrix report', () => {
  it('writes the matrix and the findings, escaped, into the page and its JSON', async () => {
    const dirs: string[] = [];
    for (const seed of [1, 2])
      for (const design of ['naive', 'hardened<b>']) {
        const dir = join(root, `matrix-${design.length}-${seed}`);
        await generateResultsDir(dir, {
          backend: 'kafka',
          requests: 300,
          durationS: 30,
          seed,
          design,
          runId: `m-${seed}-${design.length}`,
        });
        dirs.push(dir);
      }
    const { files, model } = await writeReport({ results: dirs, out: join(root, 'matrix-out') });
    expect(model.matrix.map((r) => [r.design, r.runs.length])).toEqual([
      ['naive', 2],
      ['hardened<b>', 2],
    ]);
    const html = readFileSync(files.html, 'utf8');
    expect(html).toContain('<h2>Findings</h2>');
    expect(html).toContain('2 configurations, 2 counted runs each');
    expect(html).toContain('kafka · hardened&lt;b&gt;');
    expect(html).not.toContain('hardened<b>');
    const json = JSON.parse(readFileSync(files.summary, 'utf8')) as ReportModel;
    expect(json.findings[0]!.runs).toEqual(expect.arrayContaining(['m-1-5', 'm-2-11']));
  });

  it('opens with the answer compare.json records, and names the file and field it cannot read', async () => {
    const dir = join(root, 'recorded');
    await generateResultsDir(join(dir, 'run'), { backend: 'kafka', requests: 300, durationS: 30 });
    const first = await writeReport({ results: [join(dir, 'run')], out: join(dir, 'first') });
    const file = join(dir, 'compare.json');
    const answer = {
      swapNeeded: 'no',
      reason: 'recorded',
      lines: ['hardened against naive: as compare.json says it'],
    };
    const { matrix, findings, notes } = first.model;
    writeFileSync(file, JSON.stringify({ matrix, findings, notes, answer }));
    const { files, model } = await writeReport({
      results: [join(dir, 'run')],
      out: join(dir, 'out'),
      comparison: file,
    });
    expect(model.answer).toEqual(answer);
    const html = readFileSync(files.html, 'utf8');
    // The answer comes first, before the fidelity and every table.
    expect(html.indexOf('as compare.json says it')).toBeLessThan(html.indexOf('Fidelity'));
    expect(html).toMatch(/swap needed: <b>no<\/b>/);
    writeFileSync(
      file,
      JSON.stringify({ matrix, findings, notes, answer: { swapNeeded: 'maybe' } }),
    );
    await expect(
      writeReport({ results: [join(dir, 'run')], out: join(dir, 'bad'), comparison: file }),
    ).rejects.toThrow(`${file}: answer.swapNeeded must be yes, no or inconclusive`);
  });
});

describe('writeReport, on counts a run could not measure', () => {
  it('shows them as unknown, in the cards and the matrix, and fails their budgets', async () => {
    const dir = join(root, 'unmeasured');
    await generateResultsDir(dir, {
      backend: 'kinesis',
      requests: 0,
      durationS: 30,
      httpLatenciesMs: Array.from({ length: 500 }, (_, i) => 2 + (i % 10)),
    });
    // What summary.json holds when neither the engine's status nor the timeline was read.
    const file = join(dir, 'summary.json');
    const s = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    Object.assign(s, {
      accepted: null,
      delivered: null,
      dlq: { total: null, byReason: {} },
      duplicates: null,
      shed: null,
      throughput: { acceptedPerS: null },
      backlog: { max: null, drainS: null },
      breaker: { opens: null, openS: null },
    });
    writeFileSync(file, JSON.stringify(s));
    const budgets = join(root, 'unmeasured-budgets.yaml');
    writeFileSync(budgets, 'shed_rate: 0.5\ndlq_rate: 0.5\n');
    const { model, files } = await writeReport({
      results: [dir],
      out: join(root, 'unmeasured-out'),
      budgets,
    });
    const run = model.runs[0]!;
    expect(run.summary.budgets.map((b) => [b.name, b.value, b.pass])).toEqual([
      ['shed_rate', null, false],
      ['dlq_rate', null, false],
    ]);
    expect(run.verdict).toBe('fail');
    expect(model.matrix[0]!.figures.backlogMax!.median).toBeNull();
    expect(model.matrix[0]!.figures.dlqRate!.median).toBeNull();
    const html = readFileSync(files.html, 'utf8');
    expect(html).toContain(
      'backlog max <b>unknown</b>, drained in <b>unknown</b> · DLQ <b>unknown</b>',
    );
  });
});
