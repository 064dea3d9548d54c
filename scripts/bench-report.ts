/**
 * `npm run bench:report`: generates a results directory of 1,000,000 requests (k6 samples,
 * engine histograms, timeline) with the fixture generator, then times `hunt report` on it
 * in a child process and prints wall time and the child's peak RSS.
 * Targets (issue 7): under 10 s and under 500 MB. Exit 1 when missed.
 *
 *   npm run bench:report [-- --requests N --keep]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateResultsDir } from '../reports/fixtures/generate.ts';
import { writeReport } from '../reports/report.ts';

const TARGET_S = 10;
const TARGET_MB = 500;

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '1000000' },
    child: { type: 'string' },
    out: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});

if (values.child) {
  // The measured side: only the report, in its own process, so RSS is the report's own.
  const started = performance.now();
  await writeReport({ results: [values.child], out: values.out!, budgets: undefined });
  const seconds = (performance.now() - started) / 1000;
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ seconds, maxRssMB }));
} else {
  const requests = Number(values.requests);
  const root = resolve('results', `bench-report-${requests}`);
  const dir = join(root, 'kafka');
  const marker = join(root, '.complete');
  if (!existsSync(marker)) {
    await rm(root, { recursive: true, force: true });
    console.log(`generating ${requests.toLocaleString('en-US')} requests into ${dir} ...`);
    const t = performance.now();
    await generateResultsDir(dir, { backend: 'kafka', requests, durationS: 300 });
    await writeFile(marker, `${new Date().toISOString()}\n`);
    console.log(`  generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const samples = join(dir, 'k6-samples.csv.gz');
  // The fixture writes k6's 13 rows per request (http_req_* timings, data, iterations).
  const rows = 13 * requests;
  console.log(
    `k6-samples.csv.gz: ${(statSync(samples).size / 2 ** 20).toFixed(0)} MiB gzip, ~${(rows / 1e6).toFixed(0)}M CSV rows`,
  );
  const out = join(root, 'report');
  const wallStart = performance.now();
  const stdout = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/bench-report.ts', '--child', dir, '--out', out],
    { encoding: 'utf8' },
  );
  const wallS = (performance.now() - wallStart) / 1000;
  const { seconds, maxRssMB } = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    seconds: number;
    maxRssMB: number;
  };
  const ok = wallS < TARGET_S && maxRssMB < TARGET_MB;
  console.log(
    [
      `report of ${requests.toLocaleString('en-US')} requests:`,
      `  time:     ${seconds.toFixed(2)} s in the report, ${wallS.toFixed(2)} s wall incl. process start (target < ${TARGET_S} s)`,
      `  peak RSS: ${maxRssMB.toFixed(0)} MB (target < ${TARGET_MB} MB)`,
      `  ${ok ? 'PASS' : 'FAIL'}; report: ${join(out, 'index.html')}`,
    ].join('\n'),
  );
  if (!values.keep) await rm(out, { recursive: true, force: true });
  process.exitCode = ok ? 0 : 1;
}
