import { describe, expect, it } from 'vitest';
import {
  agentArchiveCommand,
  agentCommands,
  DEFAULT_AGENT_COMMAND,
  hostPrefix,
  summaryFromLog,
} from './k6-agents.ts';
import { segmentArgs } from './run-k6.ts';

describe('segmentArgs', () => {
  it("cuts the sequence in N equal parts and gives agent i the i-th (k6-operator's split)", () => {
    expect(segmentArgs({ index: 0, count: 2 })).toEqual([
      '--execution-segment',
      '0:1/2',
      '--execution-segment-sequence',
      '0,1/2,1',
    ]);
    expect(segmentArgs({ index: 2, count: 3 })).toEqual([
      '--execution-segment',
      '2/3:1',
      '--execution-segment-sequence',
      '0,1/3,2/3,1',
    ]);
    expect(segmentArgs({ index: 0, count: 1 })[1]).toBe('0:1');
  });

  it('refuses an agent outside 0..N-1', () => {
    expect(() => segmentArgs({ index: 2, count: 2 })).toThrow(/not one of 0..1/);
    expect(() => segmentArgs({ index: 0, count: 0 })).toThrow(/bad agent count/);
  });
});

describe('agent commands', () => {
  const base = {
    scenario: 'steady',
    k6: '/opt/k6',
    env: { BASE_URL: 'http://10.0.0.5:8080', ALLOW_REMOTE: '1', RATE: '100' },
  };

  it('runs local agents as k6 with their segment, writing into agents/agent-<i>/', () => {
    const [a0, a1] = agentCommands(base, '/r/run-1', {
      count: 2,
      hosts: null,
      command: DEFAULT_AGENT_COMMAND,
      remoteK6: 'k6',
    });
    expect(a1!.daemon).toBe('k6-1');
    expect(a1!.cmd.bin).toBe('/opt/k6');
    expect(a1!.cmd.args).toContain('1/2:1');
    expect(a1!.cmd.args).toContain(
      'csv=fileName=/r/run-1/agents/agent-1/k6-samples.csv.gz,timeFormat=unix_milli',
    );
    expect(a0!.cmd.args).toContain('HUNT_RESULTS=/r/run-1/agents/agent-0');
  });

  it('runs a remote agent through the prefix: archive on stdin, samples on stdout', () => {
    const agents = agentCommands(base, '/r/run-1', {
      count: 2,
      hosts: ['load-1', 'load-2'],
      command: 'ssh -p 2222 {host}',
      remoteK6: '/usr/local/bin/k6',
    });
    expect(agents[1]!.host).toBe('load-2');
    expect([agents[1]!.cmd.bin, ...agents[1]!.cmd.args]).toEqual([
      'ssh',
      '-p',
      '2222',
      'load-2',
      '/usr/local/bin/k6',
      'run',
      '--no-usage-report',
      '--include-system-env-vars=false',
      '--quiet',
      '--execution-segment',
      '1/2:1',
      '--execution-segment-sequence',
      '0,1/2,1',
      '--out',
      'csv=fileName=-,timeFormat=unix_milli',
      '-',
    ]);
    expect(agents[0]!.cmd.samples).toBe('/r/run-1/agents/agent-0/k6-samples.csv.gz');
    expect(() =>
      agentCommands(base, '/r', {
        count: 1,
        hosts: ['h'],
        command: 'ssh {host}',
        remoteK6: '/my k6',
      }),
    ).toThrow(/not shell-safe/);
    expect(hostPrefix(DEFAULT_AGENT_COMMAND, 'h1')).toEqual(['ssh', '-o', 'BatchMode=yes', 'h1']);
  });

  it('archives with the settings, no results directory, summaries to stderr', () => {
    const cmd = agentArchiveCommand(
      { ...base, env: { ...base.env, HUNT_RESULTS: '/r' } },
      '/r/a.tar',
    );
    expect(cmd.args.slice(0, 4)).toEqual([
      'archive',
      '--include-system-env-vars=false',
      '-O',
      '/r/a.tar',
    ]);
    expect(cmd.args).toContain('BASE_URL=http://10.0.0.5:8080');
    expect(cmd.args).toContain('SUMMARY_STDERR=1');
    expect(cmd.args.some((a) => a.startsWith('HUNT_RESULTS'))).toBe(false);
    expect(cmd.args.at(-1)).toMatch(/scenarios\/steady\.ts$/);
  });

  it('takes the last summary JSON from between the markers of a log', () => {
    const log =
      'level=info msg=x\n--- hunt k6-summary.json begin ---\n{"a":1}\n--- hunt k6-summary.json end ---\n' +
      '--- hunt k6-summary.json begin ---\n{"metrics":{}}\n--- hunt k6-summary.json end ---\n';
    expect(summaryFromLog(log)).toBe('{"metrics":{}}');
    expect(summaryFromLog('no summary')).toBeNull();
  });
});
