import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimPorts, sweepStaleClaims } from './port-claims.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'hunt-claims-test-'));

describe('claimPorts', () => {
  it('refuses a set that overlaps a held claim, and leaves none of it claimed', () => {
    const d = dir();
    const release = claimPorts([21_584, 21_585], d);
    expect(release).not.toBeNull();
    expect(claimPorts([21_000, 21_584], d)).toBeNull();
    expect(readdirSync(d).sort()).toEqual(['21584', '21585']);
    release!();
    expect(readdirSync(d)).toEqual([]);
    expect(claimPorts([21_000, 21_584], d)).not.toBeNull();
  });

  it('takes over a claim whose process is gone, never one whose process lives', () => {
    const d = dir();
    // Past Linux's largest pid (pid_max is at most 2^22): no process has it.
    writeFileSync(join(d, '21584'), String(2 ** 23));
    expect(claimPorts([21_584], d)).not.toBeNull();
    writeFileSync(join(d, '21590'), String(process.ppid));
    expect(claimPorts([21_590], d)).toBeNull();
  });

  it('sweeps the claims of processes that are gone and keeps the live ones', () => {
    const d = dir();
    writeFileSync(join(d, '21584'), String(2 ** 23));
    writeFileSync(join(d, '21590'), String(process.pid));
    sweepStaleClaims(d);
    expect(readdirSync(d)).toEqual(['21590']);
  });
});
