import { describe, expect, it } from 'vitest';
import { checkedAgents } from './agent-flags.ts';

const flags = { agentCommand: 'ssh -o BatchMode=yes {host}', agentK6: 'k6' };

describe('checkedAgents', () => {
  it('one agent on this machine is the run without agents', () => {
    expect(checkedAgents(flags)).toEqual({});
    expect(checkedAgents({ ...flags, agents: '1' })).toEqual({});
  });

  it('N local agents, or one per host', () => {
    expect(checkedAgents({ ...flags, agents: '3' }).agents).toMatchObject({
      count: 3,
      hosts: null,
    });
    expect(checkedAgents({ ...flags, agentHosts: 'a,b' }).agents).toMatchObject({
      count: 2,
      hosts: ['a', 'b'],
    });
  });

  it('refuses what cannot run, naming the flag', () => {
    expect(() => checkedAgents({ ...flags, agents: '0' })).toThrow(/--agents: expected/);
    expect(() => checkedAgents({ ...flags, agents: '3', agentHosts: 'a,b' })).toThrow(
      /one host per agent/,
    );
    expect(() => checkedAgents({ ...flags, agentHosts: 'a;rm -rf' })).toThrow(/--agent-hosts/);
    expect(() => checkedAgents({ ...flags, agentBaseUrl: 'http://10.0.0.5:8080' })).toThrow(
      /--agent-base-url: .*ALLOW_REMOTE/,
    );
    expect(
      checkedAgents({ ...flags, agentBaseUrl: 'http://10.0.0.5:8080', allowRemote: true }),
    ).toEqual({ agentBaseUrl: 'http://10.0.0.5:8080', allowRemote: true });
  });
});
