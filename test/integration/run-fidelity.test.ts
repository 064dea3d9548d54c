/**
 * A short `hunt run` on Kinesis under the aws-provisioned profile, on its own private stack:
 * run.json records the profile and its dimensions, the engine polls at the profile's
 * cadence, fidelity-check.json holds the quota layer's measurements, and the report opens
 * with the fidelity table and badges the figures that rest on assumed dimensions.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FidelityCheck } from '../../contract/fidelity-check.ts';
import { RunManifest } from '../../contract/schema.ts';
import { stackDown } from '../../system/stack.ts';
import { hunt, testEnv } from './stack-fixture.ts';

const work = mkdtempSync(join(tmpdir(), 'hunt-fidelity-run-'));
const env = await testEnv();
afterAll(async () => {
  await stackDown(env.paths, () => {});
});
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as unknown;

describe('hunt run --fidelity aws-provisioned on kinesis', () => {
  it('records the profile, measures the model and reports it before any result', async () => {
    const out = join(work, 'run');
    const run = await hunt(
      [
        'run',
        '--backend',
        'kinesis',
        '--scenario',
        'smoke',
        '--duration',
        '8s',
        '--fidelity',
        'aws-provisioned',
        '--out',
        out,
        '--drain-timeout',
        '60',
      ],
      env.env,
    );
    expect([0, 1], `${run.stdout}\n${run.stderr}`).toContain(run.exitCode);
    const manifest = RunManifest.parse(json(join(out, 'run.json')));
    expect(manifest.fidelity?.profile.name).toBe('aws-provisioned');
    expect(manifest.fidelity?.dimensions.produceLatency).toMatchObject({
      level: 'emulated',
      status: 'assumed',
    });
    expect((manifest.engineSettings as Record<string, string>).kinesisPollMs).toBe('200');
    const check = FidelityCheck.parse(json(join(out, 'fidelity-check.json')));
    const prop = check.rows.find((r) => r.what === 'propagation mean');
    console.log(
      JSON.stringify(check.rows.map((r) => [r.what, r.targetMs, r.measuredMs, r.samples])),
    );
    expect(prop?.samples).toBeGreaterThan(0);
    // The service's share alone: a read and the wait for it up to one poll, near the target.
    expect(prop?.measuredMs).not.toBeNull();
    expect(prop!.measuredMs!).toBeLessThan(2 * prop!.targetMs);

    const report = await hunt(['report', out, '--out', join(work, 'report')], env.env);
    expect(report.exitCode, report.stderr).toBe(0);
    const html = readFileSync(join(work, 'report', 'index.html'), 'utf8');
    expect(html).toContain('· fidelity aws-provisioned');
    // The answer first, the fidelity in two lines under it, before any result.
    expect(html.indexOf('id="answer"')).toBeLessThan(html.indexOf('class="fidelity-summary"'));
    expect(html.indexOf('class="fidelity-summary"')).toBeLessThan(html.indexOf('<h2>Verdict</h2>'));
    expect(html).toMatch(/data-key="http\.p99"[^>]*>[^<]*<span class="fid-badge"/);
    expect(html).toContain('propagation mean');
  });
});
