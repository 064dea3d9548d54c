/**
 * `hunt run`'s flags for load from several k6 agents: `--agents N` on this machine, or
 * `--agent-hosts h1,h2` through a command prefix (ssh by default). Checked before anything
 * starts; the run's layout is docs/contracts.md "Many agents".
 */
import type { Command } from 'commander';
import { UserError } from '../common/user-error.ts';
import { parseBaseUrl } from '../scenarios/lib/env.ts';
import { type AgentsSpec, DEFAULT_AGENT_COMMAND } from '../scenarios/lib-node/k6-agents.ts';
import { intOption } from './options.ts';

export interface AgentFlags {
  agents?: string;
  agentHosts?: string;
  agentCommand: string;
  agentK6: string;
  agentBaseUrl?: string;
  allowRemote?: boolean;
}

export function agentOptions(cmd: Command): Command {
  return cmd
    .option(
      '--agents <n>',
      'split the load over N k6 processes (k6 execution segments); default 1, one k6',
    )
    .option(
      '--agent-hosts <list>',
      'run agent i on the i-th host of this comma-separated list, through --agent-command',
    )
    .option(
      '--agent-command <prefix>',
      'the command that runs k6 on a host; {host} is replaced, words split on spaces',
      DEFAULT_AGENT_COMMAND,
    )
    .option('--agent-k6 <path>', 'k6 on the agent hosts (the pinned version)', 'k6')
    .option(
      '--agent-base-url <url>',
      "the engine's URL as the agents reach it (default the run's loopback URL)",
    );
  // --allow-remote (a non-loopback --agent-base-url: k6's ALLOW_REMOTE=1) is hunt run's own.
}

const HOST = /^[A-Za-z0-9_.@:[\]-]+$/;

/** The agents a run's flags ask for; undefined: one k6, as without the flags. */
export function checkedAgents(f: AgentFlags): {
  agents?: AgentsSpec;
  agentBaseUrl?: string;
  allowRemote?: boolean;
} {
  const hosts = f.agentHosts?.split(',').map((h) => h.trim());
  if (hosts?.some((h) => !HOST.test(h)))
    throw new UserError(
      `--agent-hosts: expected host names separated by commas, got '${f.agentHosts}'`,
    );
  const count =
    f.agents === undefined ? (hosts?.length ?? 1) : intOption('--agents', f.agents, 1, 64);
  if (hosts && hosts.length !== count)
    throw new UserError(
      `--agents ${count} with ${hosts.length} --agent-hosts: give one host per agent`,
    );
  if (!f.agentCommand.split(/\s+/).some(Boolean)) throw new UserError('--agent-command: empty');
  let agentBaseUrl: string | undefined;
  if (f.agentBaseUrl !== undefined) {
    try {
      agentBaseUrl = parseBaseUrl(f.agentBaseUrl, f.allowRemote === true);
    } catch (err) {
      throw new UserError(`--agent-base-url: ${(err as Error).message}`);
    }
  }
  const out = {
    ...(agentBaseUrl ? { agentBaseUrl } : {}),
    ...(f.allowRemote ? { allowRemote: true } : {}),
  };
  // One k6 on this machine is the run without agents: same files, same daemon.
  if (count === 1 && !hosts) return out;
  return {
    ...out,
    agents: { count, hosts: hosts ?? null, command: f.agentCommand, remoteK6: f.agentK6 },
  };
}
