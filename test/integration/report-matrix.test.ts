/**
 * The report of a matrix, read as its reader would at 1400×900 in Chromium: the answer on
 * the first screen, no sideways scroll, small legends, configurations by name, run ids once.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, Summary } from '../../contract/schema.ts';
import { generateResultsDir } from '../../reports/fixtures/generate.ts';
import { writeReport } from '../../reports/report.ts';
import { launchChromium, openReport } from './report-browser.ts';

const root = mkdtempSync(join(tmpdir(), 'report-matrix-'));
/** Where the screenshots stay for a look (git-ignored). */
const KEPT = resolve('results', 'report-matrix-test');
const VIEW = { width: 1400, height: 900 };
const REPEATS = 5;
const CELLS: { backend: Backend; design: 'naive' | 'hardened' }[] = [
  { backend: 'kafka', design: 'naive' },
  { backend: 'kafka', design: 'hardened' },
  { backend: 'kinesis', design: 'naive' },
  { backend: 'kinesis', design: 'hardened' },
];
let browser: Browser;
const reports: Record<'matrix' | 'one', { html: string; runIds: string[] }> = {
  matrix: { html: '', runIds: [] },
  one: { html: '', runIds: [] },
};

/** A matrix's cell as `hunt compare` records it: its configuration, and the incident's loss. */
const cell = (design: string, repeat: number) => (s: Summary) => {
  s.configuration = design;
  s.design = design;
  const orders = design === 'naive' ? 480 + 7 * repeat : 0;
  s.symptoms.sales.notFulfilled = { orders, cents: orders * 1_500 };
};

beforeAll(async () => {
  const budgets = resolve('reports/fixtures/budgets.yaml');
  const dirs: string[] = [];
  for (let k = 1; k <= REPEATS; k++)
    for (const c of CELLS) {
      const runId = `20261201-2130${k}${dirs.length % 10}-${c.backend}-${c.design}-r${k}`;
      const dir = join(root, 'matrix', runId);
      mkdirSync(dir, { recursive: true });
      await generateResultsDir(dir, {
        backend: c.backend,
        requests: 2_000,
        durationS: 60,
        seed: 10 * k + dirs.length,
        runId,
        design: c.design,
        plant: cell(c.design, k),
      });
      dirs.push(dir);
      reports.matrix.runIds.push(runId);
    }
  const out = await writeReport({ results: dirs, out: join(root, 'matrix-out'), budgets });
  reports.matrix.html = out.files.html;
  const one = join(root, 'one', '20261201-220000-kafka-hardened');
  await generateResultsDir(one, {
    backend: 'kafka',
    requests: 2_000,
    durationS: 60,
    runId: '20261201-220000-kafka-hardened',
  });
  reports.one = {
    html: (await writeReport({ results: [one], out: join(root, 'one-out'), budgets })).files.html,
    runIds: ['20261201-220000-kafka-hardened'],
  };
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
});

describe.each(['matrix', 'one'] as const)('the report of %s at 1400×900', (which) => {
  it('opens with the answer on the first screen, fits the width, and keeps legends small', async () => {
    const { page, errors, requests } = await openReport(browser, reports[which].html, VIEW);
    const answer = await page.$eval('#answer', (e) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, text: e.textContent ?? '' };
    });
    expect(answer.top).toBeGreaterThanOrEqual(0);
    expect(answer.bottom).toBeLessThanOrEqual(VIEW.height);
    expect(answer.text).toMatch(/swap needed: (yes|no|inconclusive)/);
    expect(answer.text).toMatch(/Was the move to [a-z ]+ needed\? (yes|no|inconclusive)/);
    const width = await page.$eval('html', (e) => ({
      scroll: e.scrollWidth,
      client: e.clientWidth,
    }));
    expect(width.scroll).toBeLessThanOrEqual(width.client);
    // One legend row per series (the page's legend leaves out the x axis).
    const legends = await page.$$eval('.u-legend', (ls) =>
      ls.map((l) => l.querySelectorAll('tr.u-series').length),
    );
    expect(legends.length).toBeGreaterThan(5);
    expect(Math.max(...legends)).toBeLessThanOrEqual(10);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    if (which === 'matrix') {
      mkdirSync(KEPT, { recursive: true });
      await page.screenshot({ path: join(KEPT, 'first-screen.png') });
      await page.screenshot({ path: join(KEPT, 'page.png'), fullPage: true });
      // Four configurations: one line each in the backlog chart, by name.
      const backlog = await page.$$eval('#chart-backlog .u-legend tr.u-series th', (ths) =>
        ths.map((t) => t.textContent?.trim()),
      );
      expect(backlog).toEqual([
        'kafka · naive',
        'kafka · hardened',
        'kinesis · naive',
        'kinesis · hardened',
      ]);
    }
    await page.close();
  });

  it('names configurations, with each run id once, in the runs appendix', () => {
    const html = readFileSync(reports[which].html, 'utf8');
    const title = html.match(/<title>([^<]*)<\/title>/)![1]!;
    for (const id of reports[which].runIds) {
      expect(html.split(id).length - 1, id).toBe(1);
      expect(title).not.toContain(id);
    }
    const appendix = html.slice(html.indexOf('<h2>Runs</h2>'));
    for (const id of reports[which].runIds) expect(appendix).toContain(id);
    if (which === 'matrix') {
      expect(title).toContain('kafka · naive vs kafka · hardened vs kinesis · naive');
      // Δ only between the pairs the findings compare, never every run against the first.
      const deltas = [...html.matchAll(/<th>Δ ([^<]*)<\/th>/g)].map((m) => m[1]);
      expect(deltas).toEqual(
        expect.arrayContaining([
          'kafka · hardened vs kafka · naive',
          'kinesis · hardened vs kinesis · naive',
          'kinesis · naive vs kafka · naive',
          'kinesis · hardened vs kafka · hardened',
        ]),
      );
      expect(deltas).toHaveLength(4);
    }
  });
});
