import { describe, expect, it } from 'vitest';
import { nodeCheck, supportedNodeMajor } from './doctor.ts';

describe('doctor: node', () => {
  it('reads the supported major from package.json engines', () => {
    expect(supportedNodeMajor()).toBeGreaterThanOrEqual(24);
  });

  it('shows the Node in use and fails one older than engines allows', () => {
    expect(nodeCheck()).toMatchObject({ ok: true, path: process.execPath });
    expect(nodeCheck('20.20.2', '/usr/bin/node')).toMatchObject({
      ok: false,
      version: '20.20.2',
      path: '/usr/bin/node',
    });
  });
});
