/**
 * `hunt compare` as a matrix, end to end on a private stack: real engine, Kafka, kinesalite
 * and k6 on the smoke scenario; the matrix, its findings and the report from the real runs.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, Finding } from '../../analysis/findings.ts';
import type { MatrixRow } from '../../analysis/matrix.ts';
import { Summary } from '../../contract/schema.ts';
import { EngineConfigSchema } from '../../engine/config.ts';
import { hunt, startTestStack, type TestStack } from './stack-fixture.ts';

let stack: TestStack;
const work = mkdtempSync(join(tmpdir(), 'hunt-compare-'));
const impossible = join(work, 'impossible.yaml');
writeFileSync(impossible, 'http_p99_ms: 0.001\nlost_events: 0\n');

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as unknown;
const smoke = ['--scenario', 'smoke', '--plan', 'none', '--scale', '0.5'];
type Record = { runs: string[]; matrix: MatrixRow[]; findings: Finding[]; answer: Answer };

describe('hunt compare', () => {
  it('runs the matrix file, writes each run, the matrix with its findings and the report, and exits 1 on a breached budget', async () => {
    const out = join(work, 'matrix');
    const matrix = join(work, 'matrix.yaml');
    writeFileSync(matrix, 'backends: [kafka, kinesis]\nrepeat: 1\n');
    // Two lanes: each cell on its own private stack, side by side.
    const run = await hunt(
      [
        'compare',
        ...smoke,
        '--matrix',
        matrix,
        '--out',
        out,
        '--budgets',
        impossible,
        '--lanes',
        '2',
      ],
      stack.env,
    );
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(1);
    expect(run.stdout).toMatch(/^\[1\] \[compare\] kafka \(1\/2\)$/m);
    expect(run.stdout).toMatch(/^\[2\] \[compare\] kinesis \(2\/2\)$/m);
    expect(run.stdout).toMatch(/budgets failed, kafka · \w+: http_p99_ms in 1\/1/);
    // The answer first, then the table; one run per cell measures no difference.
    expect(run.stdout).toMatch(
      /Answer:\n- Was the move to kinesis needed\? inconclusive: .*\n\(2 configurations, 1 counted run each;/,
    );
    expect(run.stdout).toMatch(/Findings: 0 difference, \d+ equivalent, \d+ inconclusive/);
    const summaries = ['kafka', 'kinesis'].map((b) => {
      const s = Summary.parse(json(join(out, b, 'summary.json')));
      expect(s.lost).toBe(0);
      // Time to detect is measured from the run's own critical threshold.
      expect(s.symptoms.detect.thresholdEvents).toBe(5000);
      return s;
    });
    // Each lane ran on a stack of its own ports, not the test's: k6 names the engine it loaded.
    const engines = ['kafka', 'kinesis'].map((b) =>
      Number(
        /http:\/\/127\.0\.0\.1:(\d+)/.exec(
          readFileSync(join(out, b, 'logs', 'k6.log'), 'utf8'),
        )?.[1],
      ),
    );
    expect(engines.every((p) => p > 0)).toBe(true);
    expect(new Set([...engines, stack.ports.engine]).size).toBe(3);
    const record = json(join(out, 'compare.json')) as Record;
    expect(record.matrix.map((r) => [r.backend, r.runs.map((x) => x.runId)])).toEqual(
      summaries.map((s) => [s.backend, [s.runId]]),
    );
    // The matrix's medians are the runs' own figures (one run each: no interval).
    const kafka = record.matrix[0]!;
    expect(kafka.figures.backlogMax).toMatchObject({
      n: 1,
      median: summaries[0]!.backlog.max,
      low: null,
      high: null,
    });
    expect(record.answer.swapNeeded).toBe('inconclusive');
    expect(record.findings.map((f) => f.outcome)).not.toContain('difference');
    const backlog = record.findings.find((f) => f.symptom === 'backlogMax')!;
    expect(backlog.rows.map((r) => r.split(' · ')[0])).toEqual(['kafka', 'kinesis']);
    expect(backlog.n).toEqual([1, 1]);
    const text = readFileSync(join(out, 'findings.txt'), 'utf8');
    expect(text).toContain(backlog.text);
    expect(text).not.toContain(summaries[0]!.runId);
    expect(readFileSync(join(out, 'report', 'index.html'), 'utf8')).toContain('<h2>Findings</h2>');
    expect(existsSync(join(out, 'report', 'junit.xml'))).toBe(true);
  });

  // The engine's design presets: a row named by the design the engine reports.
  it.skipIf(!('design' in EngineConfigSchema.shape))(
    'runs a design as the engine reports it',
    async () => {
      const out = join(work, 'designs');
      const run = await hunt(
        ['compare', ...smoke, '--backends', 'kafka', '--designs', 'hardened', '--out', out],
        stack.env,
      );
      expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
      const s = Summary.parse(json(join(out, 'kafka-hardened', 'summary.json')));
      expect(s.design).toBe('hardened');
      expect(s.symptoms.cascade.offered).not.toBeNull();
      expect((json(join(out, 'compare.json')) as Record).matrix[0]!.design).toBe('hardened');
    },
  );
});
