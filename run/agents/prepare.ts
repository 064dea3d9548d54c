/**
 * Before the load of a run split over k6 agents: each agent's command and directory, and
 * for remote agents the k6 archive they read on stdin.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AGENTS_DIR } from '../../contract/k6-agents.ts';
import {
  type Agent,
  type AgentsSpec,
  agentArchiveCommand,
  agentCommands,
} from '../../scenarios/lib-node/k6-agents.ts';
import { runArchive } from '../../scenarios/lib-node/k6-archive.ts';
import type { K6CommandOptions } from '../../scenarios/lib-node/run-k6.ts';
import type { RunOptions } from '../options.ts';

/**
 * Each agent's command and directory; for remote agents, the archive they read on stdin,
 * made here so that a scenario k6 cannot pack fails before anything starts.
 */
export async function prepareAgents(
  o: RunOptions,
  base: K6CommandOptions,
  dir: string,
  spec: AgentsSpec,
): Promise<{ agents: Agent[]; archive: string | null }> {
  const env = { ...base.env };
  if (o.agentBaseUrl) env.BASE_URL = o.agentBaseUrl;
  if (o.allowRemote) env.ALLOW_REMOTE = '1';
  const withEnv = { ...base, env };
  const agents = agentCommands(withEnv, dir, spec);
  for (const a of agents) mkdirSync(a.dir, { recursive: true });
  if (!spec.hosts) return { agents, archive: null };
  const archive = join(dir, AGENTS_DIR, 'k6-archive.tar');
  await runArchive(agentArchiveCommand(withEnv, archive), o.scenario);
  return { agents, archive };
}
