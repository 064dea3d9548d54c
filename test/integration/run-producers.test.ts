/**
 * "More producer instances" end to end on a private stack: `hunt run --producers 2` starts two
 * engine processes behind one balancer on the engine's address; k6 loads that one address,
 * both instances accept writes, the run's figures are their sum, and the audit (which reads
 * every instance's ledger) finds nothing lost. A SIGKILLed run leaves its instances and the
 * balancer to `hunt stack down`, which stops every one of them.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Audit, RunManifest, Summary, TimelinePoint } from '../../contract/schema.ts';
import { listDaemons, pidAlive, readDaemon } from '../../stack/process.ts';
import { componentsOf, hunt, startTestStack, type TestStack } from './stack-fixture.ts';

let stack: TestStack;
const work = mkdtempSync(join(tmpdir(), 'hunt-producers-'));
const budgets = join(work, 'budgets.yaml');
writeFileSync(budgets, 'http_p99_ms: 10000\nlost_events: 0\n');

beforeAll(async () => {
  stack = await startTestStack(() => {}, { only: componentsOf('kafka') });
});
afterAll(async () => {
  await stack?.stop();
});

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as unknown;

/** What an engine instance had accepted when it stopped, from its log's last line of that kind. */
function acceptedAtStop(log: string): number {
  const stops = readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"engine stopped"'))
    .map((l) => JSON.parse(l) as { accepted: number });
  expect(stops, `no stop line in ${log}`).toHaveLength(1);
  return stops[0]!.accepted;
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

const runArgs = (out: string, duration: string) => [
  'run',
  ...['--backend', 'kafka', '--scenario', 'smoke', '--plan', 'none', '--duration', duration],
  ...['--producers', '2', '--set', 'design=naive', '--budgets', budgets, '--out', out],
  ...['--drain-timeout', '30'],
];

describe('hunt run --producers 2', () => {
  it('both instances accept writes through the one address; the summary sums them; nothing is lost', async () => {
    const out = join(work, 'two');
    const run = await hunt(runArgs(out, '8s'), stack.env);
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(RunManifest.parse(json(join(out, 'run.json'))).producers).toBe(2);
    const summary = Summary.parse(json(join(out, 'summary.json')));
    expect(summary).toMatchObject({ complete: true, lost: 0 });
    const first = acceptedAtStop(join(out, 'logs', 'engine.log'));
    const second = acceptedAtStop(join(out, 'logs', 'engine-1.log'));
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);
    // The engine's figures are both instances' together, and the first delivered them all.
    expect(summary.accepted).toBe(first + second);
    expect(summary.delivered).toBe(first + second);
    // Every instance's ledger is read: together they hold every id k6 got a 202 for.
    const ledgers = [...lines(join(out, 'ledger.txt')), ...lines(join(out, 'ledger-1.txt'))];
    expect(new Set(ledgers).size).toBe(first + second);
    const a = Audit.parse(json(join(out, 'audit.json')));
    expect(a).toMatchObject({ witness: 'k6-samples', unwitnessed: 0 });
    expect(a.lostIds).toEqual([]);
    expect(a.accepted).toBe(first + second);
    expect(a.ledger).toMatchObject({ missing: { count: 0 }, extra: { count: 0 } });
    // Each process is sampled under its own name.
    const points = lines(join(out, 'timeline.ndjson')).map((l) =>
      TimelinePoint.parse(JSON.parse(l)),
    );
    const named = new Set(points.flatMap((p) => Object.keys(p.processes ?? {})));
    for (const name of ['engine-0', 'engine-1', 'balancer']) expect(named).toContain(name);
    expect(points.at(-1)?.accepted).toBe(first + second);
    // Nothing of the run is left running.
    const names = listDaemons(stack.paths.state).map((d) => d.name);
    for (const n of ['engine', 'engine-1', 'balancer']) expect(names).not.toContain(n);
  });

  it('SIGKILLed mid-run: hunt stack down stops both instances and the balancer', async () => {
    const out = join(work, 'killed');
    const run = hunt(runArgs(out, '60s'), stack.env);
    const deadline = Date.now() + 60_000;
    const alive = (name: string) => {
      const d = readDaemon(stack.paths.state, name);
      return d !== undefined && pidAlive(d.pid) ? d.pid : null;
    };
    let pids: (number | null)[] = [];
    for (;;) {
      pids = ['engine', 'engine-1', 'balancer', 'k6'].map(alive);
      if (pids.every((p) => p !== null)) break;
      if (Date.now() > deadline) throw new Error(`the run never got there:\n${(await run).stdout}`);
      await sleep(200);
    }
    run.kill('SIGKILL');
    await run;
    // A run killed outright cannot stop anything: its processes outlive it, as documented.
    for (const pid of pids) expect(pidAlive(pid!)).toBe(true);
    const down = await hunt(['stack', 'down'], stack.env);
    expect(down.exitCode, down.stdout).toBe(0);
    for (const pid of pids) expect(pidAlive(pid!)).toBe(false);
    expect(listDaemons(stack.paths.state)).toEqual([]);
    expect(existsSync(join(out, 'run.json'))).toBe(true);
  });
});
