/**
 * run.json: what a run was (backend, scenario, plan, seed, profile), what it ran on (cores,
 * memory, load average before start) and with what (every tool's version, git commit), so a
 * noisy machine or a changed tool shows in the result.
 */
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { execa } from 'execa';
import { type RunManifest, SCHEMA_VERSION } from '../contract/schema.ts';
import type { Paths } from '../stack/config.ts';
import { doctor } from '../stack/doctor.ts';
import { REPO_ROOT } from '../stack/tools.ts';

export function machine(): RunManifest['machine'] {
  return {
    cores: cpus().length,
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    loadAvg1m: Number(loadavg()[0]!.toFixed(2)),
    platform: `${platform()} ${release()}`,
  };
}

export async function toolVersions(paths: Paths): Promise<Record<string, string>> {
  const checks = await doctor(paths);
  return Object.fromEntries(checks.filter((c) => c.version).map((c) => [c.tool, c.version!]));
}

export async function gitCommit(): Promise<string | null> {
  try {
    const { stdout } = await execa('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT });
    const dirty = (await execa('git', ['status', '--porcelain'], { cwd: REPO_ROOT })).stdout.trim();
    return dirty ? `${stdout.trim()}-dirty` : stdout.trim();
  } catch {
    return null;
  }
}

export interface ManifestInput {
  runId: string;
  backend: RunManifest['backend'];
  scenario: string;
  plan: string;
  profile: string;
  seed: number;
  scale: number;
  /** Share of arrivals sent as poison; absent: the scenario's own. */
  poisonRate?: number;
  backlogCritical: number;
  emulation: Record<string, string>;
}

export async function newManifest(input: ManifestInput, paths: Paths): Promise<RunManifest> {
  return {
    schema: SCHEMA_VERSION,
    ...input,
    versions: await toolVersions(paths),
    machine: machine(),
    gitCommit: await gitCommit(),
    startedAt: new Date().toISOString(),
    endedAt: null,
    complete: false,
  };
}
