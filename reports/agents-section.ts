/**
 * One row per k6 agent of a run whose load was split (summary.json `agents`): requests,
 * accepted, dropped iterations, CPU and exit code, so that an agent that could not keep up
 * stands out beside the others. For the terminal (`hunt run`) and the HTML report.
 */

import type { AgentRow, Summary } from '../contract/schema.ts';
import { escapeHtml as h } from './escape.ts';

export const AGENT_COLUMNS = [
  'agent',
  'host',
  'requests',
  'accepted',
  'dropped iterations',
  'CPU mean / max',
  'exit',
] as const;

const n = (v: number | null) => (v === null ? 'unknown' : v.toLocaleString('en-US'));

export function agentCells(r: AgentRow): string[] {
  return [
    `agent-${r.agent}`,
    r.host ?? 'this machine',
    n(r.requests),
    n(r.accepted),
    n(r.droppedIterations),
    // A remote agent's CPU is its host's: not sampled here.
    r.cpuPct ? `${r.cpuPct.mean}% / ${r.cpuPct.max}%` : 'not sampled',
    r.exit === null ? 'unknown' : String(r.exit),
  ];
}

/** The report's agents table, one block per run that had agents; '' when none had. */
export function agentsSection(summaries: Summary[], names: string[]): string {
  const blocks = summaries.flatMap((s, i) => {
    if (!s.agents) return [];
    const rows = s.agents
      .map((r) => {
        const bad = (r.droppedIterations ?? 0) > 0 || (r.exit !== null && r.exit !== 0);
        const cells = agentCells(r).map((c) => `<td>${h(c)}</td>`);
        return `<tr${bad ? ' class="fail"' : ''}>${cells.join('')}</tr>`;
      })
      .join('\n');
    const head = AGENT_COLUMNS.map((c) => `<th>${h(c)}</th>`).join('');
    return [
      `<h3>${h(names[i])}: ${s.agents.length} k6 agents</h3>`,
      `<table class="agents"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`,
    ];
  });
  if (blocks.length === 0) return '';
  return [
    '<h2>k6 agents</h2>',
    '<p class="note">The load was split over several k6 processes (k6 execution segments). The HTTP figures above come from all agents\' samples merged (HDR histograms added); each agent judged k6\'s thresholds on its own share only, so its exit code 99 is a hint, not the verdict.</p>',
    ...blocks,
  ].join('\n');
}
