/** The dry-run view of a plan: one line per step with its window drawn to scale. */
import { relative } from 'node:path';
import { formatSeconds } from './duration.ts';
import { type Plan, resolveStep } from './plan.ts';
import type { RunTargets } from './targets.ts';

const BAR = 40;

export function formatTimeline(plan: Plan, run: RunTargets): string {
  const backend = run.backend;
  const span = Math.max(plan.duration, 1);
  const col = (s: number) => Math.min(BAR, Math.round((s / span) * BAR));
  const byStart = [...plan.steps].sort((a, b) => a.at - b.at || a.index - b.index);
  const rows = byStart.map((s) => {
    let label: string;
    let until = s.for === null ? plan.duration : s.at + s.for;
    try {
      label = resolveStep(plan, s, run).label;
    } catch (err) {
      label = `(skipped: ${err instanceof Error ? err.message : String(err)})`;
      until = s.at;
    }
    const from = col(s.at);
    const to = Math.max(from + 1, col(until));
    const bar = `${' '.repeat(from)}${'█'.repeat(to - from)}`.padEnd(BAR);
    return {
      at: formatSeconds(s.at),
      until: s.for === null ? 'end' : formatSeconds(until),
      bar,
      text: `[${s.index}] ${label}${s.note ? ` — ${s.note}` : ''}`,
    };
  });
  const w = (k: 'at' | 'until', min: number) => Math.max(min, ...rows.map((r) => r[k].length));
  const atW = w('at', 2);
  const untilW = w('until', 5);
  const axis = `0s${formatSeconds(plan.duration).padStart(BAR - 2)}`;
  const lines = [
    `plan ${plan.name} (${relative(process.cwd(), plan.file) || plan.file}) on ${backend}, ${formatSeconds(plan.duration)}`,
    `  ${plan.description.trim().replace(/\s+/g, ' ')}`,
    '',
    `  ${'at'.padStart(atW)}  ${'until'.padEnd(untilW)}  |${axis}|  step`,
    ...rows.map((r) => `  ${r.at.padStart(atW)}  ${r.until.padEnd(untilW)}  |${r.bar}|  ${r.text}`),
  ];
  if (rows.length === 0) lines.push('  (no faults: a baseline run)');
  return `${lines.join('\n')}\n`;
}
