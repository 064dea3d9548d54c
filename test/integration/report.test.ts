/**
 * The report as a person sees it: headless Chromium opens index.html written from fixture
 * results (kafka vs kinesis, with a baseline), and from results whose names carry markup.
 */
import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFormatted } from '../../analysis/figures.ts';
import { generateResultsDir } from '../../reports/fixtures/generate.ts';
import type { Unit } from '../../reports/metrics.ts';
import type { ReportModel } from '../../reports/model.ts';
import { writeReport } from '../../reports/report.ts';
import { launchChromium, openReport } from './report-browser.ts';

const root = mkdtempSync(join(tmpdir(), 'report-browser-'));
/** Kept after the run for people to look at (results/ is git-ignored). */
const KEPT = resolve('results', 'report-test');
const LABEL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
let browser: Browser;
let report: { html: string; model: ReportModel };
let evilHtml: string;

beforeAll(async () => {
  const gen = (
    dir: string,
    backend: 'kafka' | 'kinesis',
    seed: number,
    requests: number,
    label = '',
  ) => generateResultsDir(join(root, dir), { backend, seed, requests, durationS: 120, label });
  await Promise.all([
    gen('cmp/kafka', 'kafka', 1, 30_000),
    gen('cmp/kinesis', 'kinesis', 2, 30_000),
    gen('base/kafka', 'kafka', 3, 24_000),
    gen('base/kinesis', 'kinesis', 4, 24_000),
    gen('evil/kinesis', 'kinesis', 5, 3_000, LABEL),
  ]);
  const budgets = resolve('reports/fixtures/budgets.yaml');
  const out = await writeReport({
    results: [join(root, 'cmp')],
    baseline: [join(root, 'base')],
    out: join(root, 'out'),
    budgets,
  });
  report = { html: out.files.html, model: out.model };
  evilHtml = (
    await writeReport({ results: [join(root, 'evil')], out: join(root, 'evil-out'), budgets })
  ).files.html;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('hunt report in Chromium', () => {
  it('opens offline with no console error and draws every chart', async () => {
    const { page, errors, requests } = await openReport(browser, report.html);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    const charts = await page.$$eval('.plot', (els) => els.length);
    expect(
      await page.evaluate(() => (globalThis as { __huntChartsDrawn?: number }).__huntChartsDrawn),
    ).toBe(charts);
    // Rate, latency (2), spectra (2), backlog, one per breaker (the fixture has one), DLQ.
    expect(charts).toBe(8);
    // Series pixels: near one of the runs' colours, in every chart's canvas.
    const drawn = await page.$$eval('.uplot canvas', (canvases) =>
      canvases.map((c) => {
        // No DOM lib in this tsconfig: the canvas is typed by what is used.
        const canvas = c as unknown as {
          width: number;
          height: number;
          getContext(kind: '2d'): {
            getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
          };
        };
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        const colors = [
          [0x1f, 0x6f, 0xc5],
          [0xe0, 0x70, 0x1b],
        ];
        let series = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3]! < 200) continue;
          for (const [r, g, b] of colors) {
            if (
              Math.abs(data[i]! - r!) + Math.abs(data[i + 1]! - g!) + Math.abs(data[i + 2]! - b!) <
              60
            )
              series++;
          }
        }
        return series;
      }),
    );
    expect(drawn).toHaveLength(8);
    for (const count of drawn) expect(count).toBeGreaterThan(50);
    mkdirSync(KEPT, { recursive: true });
    for (const path of [join(KEPT, 'screenshot.png'), join(root, 'screenshot.png')]) {
      await page.screenshot({ path, fullPage: true });
      expect(statSync(path).size).toBeGreaterThan(50_000);
    }
    await page.close();
  });

  it('shows the same numbers as summary.json', async () => {
    const summary = JSON.parse(
      readFileSync(join(root, 'out', 'summary.json'), 'utf8'),
    ) as ReportModel;
    const { page } = await openReport(browser, report.html);
    const cells = await page.$$eval('td[data-key]', (tds) =>
      tds.map((td) => ({
        run: Number(td.getAttribute('data-run')),
        key: td.getAttribute('data-key')!,
        unit: td.getAttribute('data-unit')!,
        // The figure alone: a fidelity badge beside it is an annotation, not part of it.
        text: [...td.childNodes]
          .filter((n) => (n as { className?: unknown }).className !== 'fid-badge')
          .map((n) => n.textContent)
          .join('')
          .trim(),
      })),
    );
    expect(cells.length).toBeGreaterThan(40);
    for (const { run, key, unit, text } of cells) {
      const want = summary.runs[run]!.metrics[key];
      const got = parseFormatted(text, unit as Unit);
      if (want === null || want === undefined) {
        expect(got, key).toBeNull();
        continue;
      }
      // Displayed to three significant digits, whole numbers from 1,000 up.
      const tolerance = unit === 'count' ? 0 : Math.max(Math.abs(want) * 0.005, 0.5e-9);
      expect(Math.abs(got! - want), `${key} run ${run}: "${text}" vs ${want}`).toBeLessThanOrEqual(
        Math.abs(want) >= 1000 && unit !== 'ratio' ? 0.5 : tolerance,
      );
    }
    // The headline percentiles are the summary's own.
    expect(cells.find((c) => c.key === 'http.p99' && c.run === 0)!.text).toBe(
      String(Number(summary.runs[0]!.summary.http!.p99.toPrecision(3))),
    );
    // A configuration's budget passes where it passed in every one of its runs.
    const verdicts = await page.$$eval('td[data-budget]', (tds) =>
      tds.map((td) => ({
        runs: td.getAttribute('data-runs')!.split(' ').map(Number),
        name: td.getAttribute('data-budget'),
        pass: td.classList.contains('pass'),
      })),
    );
    expect(verdicts.length).toBeGreaterThan(0);
    for (const v of verdicts) {
      expect(v.pass).toBe(
        v.runs.every(
          (i: number) => summary.runs[i]!.summary.budgets.find((b) => b.name === v.name)!.pass,
        ),
      );
    }
    await page.close();
  });

  it('renders markup from a results directory as inert text', async () => {
    const { page, errors } = await openReport(browser, evilHtml);
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$$eval('img', (imgs) => imgs.length)).toBe(0);
    const text = (await page.textContent('body')) ?? '';
    expect(text).toContain('peak-sale<script>window.__pwned=1</script>');
    expect(
      await page.evaluate(() => (globalThis as { __huntChartsDrawn?: number }).__huntChartsDrawn),
    ).toBe(8);
    await page.close();
  });
});
