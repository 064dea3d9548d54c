import { expect, it } from 'vitest';
import type { AgentRow, Summary } from '../contract/schema.ts';
import { agentCells, agentsSection } from './agents-section.ts';

const row = (agent: number, over: Partial<AgentRow> = {}): AgentRow => ({
  agent,
  host: null,
  requests: 3000,
  accepted: 2990,
  droppedIterations: 0,
  cpuPct: { mean: 41.5, max: 63 },
  exit: 0,
  ...over,
});

it('shows one row per agent and marks the one that fell behind', () => {
  const summaries = [
    { agents: [row(0), row(1, { droppedIterations: 120, exit: 99, host: '<load-2>' })] },
    {},
  ] as Summary[];
  const html = agentsSection(summaries, ['kafka', 'kinesis']);
  expect(html).toContain('<h3>kafka: 2 k6 agents</h3>');
  expect(html).not.toContain('kinesis');
  expect(html).toContain('&lt;load-2&gt;');
  expect(html.match(/<tr class="fail">/g)).toHaveLength(1);
  expect(agentsSection([{} as Summary], ['kafka'])).toBe('');
});

it('says unknown and not sampled, never 0, for what was not measured', () => {
  expect(
    agentCells(row(1, { requests: null, droppedIterations: null, cpuPct: null, exit: null })),
  ).toEqual(['agent-1', 'this machine', 'unknown', '2,990', 'unknown', 'not sampled', 'unknown']);
});
