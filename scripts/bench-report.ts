/**
 * `npm run bench:report`: generates a results directory of 1,000,000 requests (k6 samples,
 * engine histograms, timeline) with the fixture generator, then times `hunt report` on it
 * in a child process and prints wall time, the child's CPU time and peak RSS, and the host's
 * load average (other processes on a shared host stretch the wall time, not the CPU time).
 * Targets: under 3 s and under 200 MB. Exit 1 when missed.
 *
 *   npm run bench:report [-- --requests N --keep]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateResultsDir } from '../reports/fixtures/generate.ts';
import { writeReport } from '../reports/report.ts';

const TARGET_S = 3;
const TARGET_MB = 200;
/** Bumped when the fixture's rows change, so that an older generated directory is replaced. */
const FIXTURE_VERSION = 'k6 rows with tags and event-id metadata';

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
  const usage = process.resourceUsage();
  const maxRssMB = usage.maxRSS / 1024;
  const cpuS = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  console.log(JSON.stringify({ seconds, cpuS, maxRssMB }));
} else {
  const requests = Number(values.requests);
  const root = resolve('results', `bench-report-${requests}`);
  const dir = join(root, 'kafka');
  const marker = join(root, '.complete');
  if (!existsSync(marker) || readFileSync(marker, 'utf8').split('\n')[1] !== FIXTURE_VERSION) {
    await rm(root, { recursive: true, force: true });
    console.log(`generating ${requests.toLocaleString('en-US')} requests into ${dir} ...`);
    const t = performance.now();
    await generateResultsDir(dir, { backend: 'kafka', requests, durationS: 300 });
    await writeFile(marker, `${new Date().toISOString()}\n${FIXTURE_VERSION}\n`);
    console.log(`  generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const samples = join(dir, 'k6-samples.csv.gz');
  // The fixture writes k6's 14 rows per request (http_req_* timings, hunt_error_rate, data, iterations).
  const rows = 14 * requests;
  console.log(
    `k6-samples.csv.gz: ${(statSync(samples).size / 2 ** 20).toFixed(0)} MiB gzip, ~${(rows / 1e6).toFixed(0)}M CSV rows`,
  );
  const out = join(root, 'report');
  const loadBefore = loadavg();
  const wallStart = performance.now();
  const stdout = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/bench-report.ts', '--child', dir, '--out', out],
    { encoding: 'utf8' },
  );
  const wallS = (performance.now() - wallStart) / 1000;
  const { seconds, cpuS, maxRssMB } = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    seconds: number;
    cpuS: number;
    maxRssMB: number;
  };
  const load = (l: number[]) => l.map((n) => n.toFixed(2)).join(' ');
  const ok = wallS < TARGET_S && maxRssMB < TARGET_MB;
  console.log(
    [
      `report of ${requests.toLocaleString('en-US')} requests:`,
      `  time:     ${seconds.toFixed(2)} s in the report, ${wallS.toFixed(2)} s wall incl. process start (target < ${TARGET_S} s)`,
      `  CPU:      ${cpuS.toFixed(2)} s (user + system, zlib's thread included)`,
      `  peak RSS: ${maxRssMB.toFixed(0)} MB (target < ${TARGET_MB} MB)`,
      `  host:     load average ${load(loadBefore)} before, ${load(loadavg())} after`,
      `  ${ok ? 'PASS' : 'FAIL'}; report: ${join(out, 'index.html')}`,
    ].join('\n'),
  );
  if (!values.keep) await rm(out, { recursive: true, force: true });
  process.exitCode = ok ? 0 : 1;
}
