/**
 * One scenario split over N k6 agents (k6 execution segments, as k6-operator splits it):
 * agent i runs on this machine as its own process, or on a named host through a command
 * prefix (default `ssh -o BatchMode=yes {host}`). A remote agent gets the test as a k6
 * archive on stdin and streams its samples back as CSV on stdout; its summaries come on
 * stderr (SUMMARY_STDERR=1). Either way agent i's output lands in
 * `<results>/agents/agent-<i>/` (k6-samples.csv.gz, k6-summary.json, k6.log).
 */
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import {
  AGENT_LOG_FILE,
  agentDir,
  K6_SAMPLES_FILE,
  K6_SUMMARY_FILE,
} from '../../contract/k6-agents.ts';
import { SUMMARY_JSON_BEGIN, SUMMARY_JSON_END } from '../lib/summary-markers.ts';
import { archiveCommand } from './k6-archive.ts';
import {
  agentDaemon,
  type K6Command,
  type K6CommandOptions,
  type K6Daemon,
  k6Command,
  segmentArgs,
  startK6Daemon,
} from './run-k6.ts';

export const DEFAULT_AGENT_COMMAND = 'ssh -o BatchMode=yes {host}';

export interface AgentsSpec {
  count: number;
  /** Agent i runs on hosts[i] through `command`; null: every agent on this machine. */
  hosts: string[] | null;
  /** The command prefix for a host, split on spaces; `{host}` is replaced by the host. */
  command: string;
  /** k6 on the agent hosts (the pinned version); default `k6` from their PATH. */
  remoteK6: string;
}

export interface Agent {
  index: number;
  host: string | null;
  dir: string;
  daemon: string;
  cmd: K6Command;
}

/** Words a remote shell (ssh) passes through unchanged; anything else is refused, not quoted. */
const SHELL_SAFE = /^[\w@%+=:,./-]+$/;

/** The prefix for one host: the template split on spaces, `{host}` replaced. */
export function hostPrefix(template: string, host: string): string[] {
  const words = template.split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new Error('agent command: empty');
  return words.map((w) => w.replaceAll('{host}', host));
}

/** k6 on an agent host: the archive from stdin, samples as CSV to stdout. */
export function remoteK6Args(spec: AgentsSpec, index: number): string[] {
  const args = [
    spec.remoteK6,
    'run',
    '--no-usage-report',
    '--include-system-env-vars=false',
    '--quiet',
    ...segmentArgs({ index, count: spec.count }),
    '--out',
    'csv=fileName=-,timeFormat=unix_milli',
    '-',
  ];
  for (const a of args)
    if (!SHELL_SAFE.test(a)) throw new Error(`agent k6 argument '${a}' is not shell-safe`);
  return args;
}

/**
 * `k6 archive` of the scenario with the run's settings, for remote agents: no results
 * directory (the host has none of ours), summaries to stderr.
 */
export function agentArchiveCommand(base: K6CommandOptions, file: string): K6Command {
  const { HUNT_RESULTS: _results, ...env } = base.env ?? {};
  return archiveCommand({
    scenario: base.scenario,
    env: { ...env, SUMMARY_STDERR: '1' },
    out: file,
    ...(base.k6 ? { k6: base.k6 } : {}),
  });
}

/** Each agent's command: its segment of the scenario, its own directory and daemon name. */
export function agentCommands(base: K6CommandOptions, results: string, spec: AgentsSpec): Agent[] {
  return Array.from({ length: spec.count }, (_, index) => {
    const dir = agentDir(results, index);
    const host = spec.hosts?.[index] ?? null;
    const segment = { index, count: spec.count };
    let cmd: K6Command;
    if (host === null) {
      cmd = k6Command({ ...base, resultsDir: dir, segment });
    } else {
      const [bin, ...prefix] = hostPrefix(spec.command, host);
      cmd = {
        bin: bin!,
        args: [...prefix, ...remoteK6Args(spec, index)],
        env: { K6_NO_USAGE_REPORT: 'true' },
        samples: join(dir, K6_SAMPLES_FILE),
      };
    }
    return { index, host, dir, daemon: agentDaemon(index), cmd };
  });
}

/** The summary JSON a remote agent wrote between the markers on stderr (its log); null: none. */
export function summaryFromLog(log: string): string | null {
  const end = log.lastIndexOf(`\n${SUMMARY_JSON_END}`);
  const begin = end < 0 ? -1 : log.lastIndexOf(`${SUMMARY_JSON_BEGIN}\n`, end);
  if (begin < 0) return null;
  return log.slice(begin + SUMMARY_JSON_BEGIN.length + 1, end);
}

/**
 * Starts agent i as daemon `k6-<i>` of the state dir. A remote one reads `archive` on stdin;
 * its stdout is gzipped into its samples file and its summary taken from its log before the
 * daemon counts as ended.
 */
export function startAgent(
  agent: Agent,
  stateDir: string,
  archive: string | null,
): Promise<K6Daemon> {
  const log = join(agent.dir, AGENT_LOG_FILE);
  if (agent.host === null)
    return startK6Daemon(agent.cmd, agent.dir, stateDir, { name: agent.daemon, log });
  if (archive === null) throw new Error(`agent ${agent.index}: a remote agent needs the archive`);
  const settle = async (child: ChildProcess) => {
    await pipeline(child.stdout!, createGzip(), createWriteStream(agent.cmd.samples!));
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    const json = summaryFromLog(readFileSync(log, 'utf8'));
    if (json !== null)
      writeFileSync(
        join(agent.dir, K6_SUMMARY_FILE),
        `${JSON.stringify(JSON.parse(json), null, 2)}\n`,
      );
  };
  return startK6Daemon(agent.cmd, agent.dir, stateDir, {
    name: agent.daemon,
    log,
    io: { stdin: archive, stdoutPipe: true },
    settle,
  });
}
