/**
 * `hunt demo` (what `npm run demo` runs): the main job from a fresh clone. Installs the
 * pinned tools when needed, then compares Kafka and Kinesis (quotas on) on the peak-sale
 * scenario with the cascade plan, at a scale that fits a 2-core machine, and writes the
 * report. Each run brings the stack up from nothing and takes it down after.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadPlan } from '../../chaos/plan.ts';
import { EXIT } from '../../common/exit-codes.ts';
import { readBudgets } from '../../reports/budgets.ts';
import type { Summary } from '../../reports/schema.ts';
import { compare } from '../../run/compare.ts';
import { loadFidelityProfile } from '../../run/fidelity.ts';
import { Progress } from '../../run/progress.ts';
import { timestamp } from '../../run/run.ts';
import { resolvePaths } from '../../stack/config.ts';
import { setup } from '../../stack/install.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import { positiveOption } from '../options.ts';
import { DEFAULT_FIDELITY, interruptSignal } from '../run-flags.ts';

const n = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : Math.round(v).toLocaleString('en-US');

/** Two lines per backend: what it sustained, and what the incident did to it. */
export function headline(s: Summary): string {
  const passed = s.budgets.filter((b) => b.pass).length;
  const dlqPct = s.accepted > 0 ? ((100 * s.dlq.total) / s.accepted).toFixed(2) : '0';
  return [
    `${s.backend.padEnd(8)} ${n(s.throughput.acceptedPerS)} accepted/s · HTTP p99 (202) ${n(s.http?.p99)} ms · ` +
      `end-to-end p99 ${n(s.e2e?.p99)} ms · lost ${s.lost ?? 'UNKNOWN'}${s.complete ? '' : ' · INCOMPLETE'}`,
    `${''.padEnd(8)} backlog max ${n(s.backlog.max)} (drained ${n(s.backlog.drainS)} s) · DLQ ${dlqPct}% · ` +
      `shed ${n(s.shed)} · breakers opened ${s.breaker.opens}× (${n(s.breaker.openS)} s) · budgets ${passed}/${s.budgets.length}`,
  ].join('\n');
}

export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'the main job: compare Kafka and Kinesis on a flash-sale burst with the cascade incident, and write the report',
    )
    .option('--scale <x>', 'multiply every rate', '0.5')
    .option('--duration <d>', 'load duration', '150s')
    .option('--plan <name>', 'chaos plan', 'cascade')
    .option('--fidelity <name>', 'fidelity profile (scenarios/fidelity/)', DEFAULT_FIDELITY.compare)
    .action(async (opts: { scale: string; duration: string; plan: string; fidelity: string }) => {
      const fidelity = loadFidelityProfile(opts.fidelity);
      const paths = resolvePaths();
      const log = (line: string) => console.log(line);
      await setup(paths, log, { quiet: true });
      const stamp = timestamp();
      const out = join(REPO_ROOT, 'results', `demo-${stamp}`);
      const budgetsFile = join(REPO_ROOT, 'scenarios', 'budgets.yaml');
      const planFile = join(REPO_ROOT, 'chaos', 'plans', `${opts.plan}.yaml`);
      const progress = new Progress();
      log(
        `[demo] peak-sale × ${opts.plan}, scale ${opts.scale}, ${opts.duration} of load per backend; results in ${out}`,
      );
      const result = await compare({
        backends: ['kafka', 'kinesis'],
        repeat: 1,
        out,
        scenario: 'peak-sale',
        plan: loadPlan(planFile),
        planFile,
        seed: 1,
        profile: 'flash-sale',
        scale: positiveOption('--scale', opts.scale),
        duration: opts.duration,
        drainTimeoutS: 90,
        kinesisQuota: 1,
        partitions: 4,
        budgets: await readBudgets(budgetsFile),
        budgetsFile,
        engineSettings: {},
        fidelity,
        paths,
        signal: interruptSignal(progress),
        progress,
      });
      log('');
      for (const r of result.runs) if (r.summary) log(headline(r.summary));
      if (result.report) log(`\nreport: ${result.report}`);
      // Unknown is never zero: a run without an audit counts as one that lost events.
      const anyLost = result.runs.some((r) => r.summary?.lost !== 0);
      // The demo's job is the report: budgets breached under the incident are its findings.
      process.exitCode =
        result.exitCode === EXIT.budgets ? EXIT.ok : anyLost ? EXIT.lost : result.exitCode;
    });
}
