import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIDELITY_CHECK_FILE } from '../contract/fidelity-check.ts';
import { SINGLE_BROKER } from '../drivers/kafka/cluster.ts';
import { fidelityCheck } from '../drivers/kinesis/self-check.ts';
import { driverOf } from '../drivers/registry.ts';
import { loadFidelityProfile, runFidelity } from '../run/fidelity.ts';
import { figureWeakness } from './fidelity-figures.ts';
import { fidelitySection, fidelityTitle, withFidelityBadges } from './fidelity-section.ts';
import type { RunData } from './read-run.ts';

/** What a stack ran: its Kafka cluster, and whether the Kinesis service model held limits. */
const stackFacts = (quota: boolean, cluster = SINGLE_BROKER) => ({
  options: { kafka: cluster },
  partitions: 4,
  quota: quota ? 1 : null,
});

function run(profile: string | null, backend: string, quota = true): RunData {
  const dir = mkdtempSync(join(tmpdir(), 'hunt-fid-report-'));
  const fidelity = profile
    ? runFidelity(loadFidelityProfile(profile), driverOf(backend), stackFacts(quota, SINGLE_BROKER))
    : undefined;
  return { dir, manifest: { backend, ...(fidelity ? { fidelity } : {}) } } as unknown as RunData;
}

const stats = (putP50: number, propagation: number) => ({
  ops: { PutRecords: { count: 500, meanMs: putP50, p50Ms: putP50, p99Ms: 101 } },
  propagation: { count: 400, meanMs: propagation, p50Ms: propagation, p99Ms: 400 },
});

describe('the fidelity section', () => {
  it('names the profile in the title, and "not recorded" for a run without one', () => {
    expect(
      fidelityTitle([run('aws-provisioned', 'kafka'), run('aws-provisioned', 'kinesis')]),
    ).toBe(' · fidelity aws-provisioned');
    expect(fidelityTitle([run(null, 'kafka')])).toBe(' · fidelity not recorded');
  });

  it('shows each dimension per run: real, emulated (status) or absent', () => {
    const html = fidelitySection(
      [run('kafka-3az', 'kafka'), run('aws-provisioned', 'kinesis'), run('loopback', 'kinesis')],
      ['kafka', 'kinesis', 'loopback'],
    );
    expect(html).toMatch(
      /<th>replication<\/th><td class="absent">absent<div class="why">profile: 3 brokers/,
    );
    expect(html).toContain('emulated (assumed)');
    expect(html).toContain('emulated (published)');
    expect(html.indexOf('Fidelity')).toBeGreaterThanOrEqual(0);
  });

  it('badges figures that rest on an absent or assumed dimension, and never loss or the DLQ rate', () => {
    const loop = runFidelity(
      loadFidelityProfile('loopback'),
      driverOf('kinesis'),
      stackFacts(true, SINGLE_BROKER),
    );
    expect(figureWeakness('http.p99', loop)).toMatch(/produce latency absent/);
    expect(figureWeakness('e2e.p50', loop)).toMatch(/read propagation absent/);
    expect(figureWeakness('lost', loop)).toBeNull();
    expect(figureWeakness('dlq.rate', loop)).toBeNull();
    expect(figureWeakness('http.p99', undefined)).toMatch(/not recorded/);
    const table =
      '<table><tr><td class="num" data-run="0" data-key="http.p99" data-unit="ms">12</td>' +
      '<td class="num" data-run="0" data-key="lost" data-unit="count">0</td></tr></table>';
    const out = withFidelityBadges(table, [run('loopback', 'kinesis')]);
    expect(out).toMatch(
      /data-key="http.p99"[^>]*>12<span class="fid-badge" title="rests on produce latency absent/,
    );
    expect(out).toMatch(/data-key="lost" data-unit="count">0<\/td>/);
  });

  it('flags a self-check gap over 25% and an unmeasured target', () => {
    const { profile } = loadFidelityProfile('aws-provisioned');
    const ok = fidelityCheck(profile, stats(21, 230));
    expect(ok.rows.find((r) => r.what === 'PutRecords p50')).toMatchObject({ flagged: false });
    expect(ok.rows.find((r) => r.what === 'propagation mean')).toMatchObject({ flagged: false });
    const off = fidelityCheck(profile, stats(40, 260));
    expect(off.rows.find((r) => r.what === 'PutRecords p50')).toMatchObject({ flagged: true });
    expect(off.rows.find((r) => r.what === 'propagation mean')).toMatchObject({ flagged: true });
    const few = fidelityCheck(profile, {
      ops: { PutRecords: { count: 3, meanMs: 90, p50Ms: 90, p99Ms: 300 } },
      propagation: { count: 0, meanMs: null, p50Ms: null, p99Ms: null },
    });
    expect(few.rows.find((r) => r.what === 'PutRecords p50')).toMatchObject({
      judged: false,
      flagged: false,
    });
    expect(few.rows.find((r) => r.what === 'propagation mean')).toMatchObject({ flagged: true });
    expect(fidelityCheck(profile, null).rows.every((r) => r.flagged && r.measuredMs === null)).toBe(
      true,
    );
    const r = run('aws-provisioned', 'kinesis');
    writeFileSync(join(r.dir, FIDELITY_CHECK_FILE), JSON.stringify(off));
    const html = fidelitySection([r, run('aws-provisioned', 'kinesis')], ['a', 'b']);
    expect(html).toMatch(
      /propagation mean<\/th><td class="num">200 ms<\/td><td class="num">260 ms/,
    );
    expect(html).toContain('+30% ▲');
    expect(html).toMatch(/<b>b<\/b>: no self-check/);
  });

  it('sums itself up in two lines first: what was real, emulated or absent, and what it means', () => {
    const { profile } = loadFidelityProfile('aws-provisioned');
    const off = run('aws-provisioned', 'kinesis');
    writeFileSync(
      join(off.dir, FIDELITY_CHECK_FILE),
      JSON.stringify(fidelityCheck(profile, stats(20, 900))),
    );
    const unread = run('aws-provisioned', 'kinesis');
    const none = {
      ...stats(20, 0),
      propagation: { count: 0, meanMs: null, p50Ms: null, p99Ms: null },
    };
    writeFileSync(
      join(unread.dir, FIDELITY_CHECK_FILE),
      JSON.stringify(fidelityCheck(profile, none)),
    );
    const html = fidelitySection([run('kafka-3az', 'kafka'), off, unread], ['k', 'a', 'b']);
    const summary = html.slice(0, html.indexOf('<details'));
    expect(summary.match(/<p /g)).toHaveLength(3);
    expect(summary).toMatch(/<b>absent<\/b>: failure model/);
    expect(summary).toMatch(/<b>n\/a on kafka, emulated \(assumed\) on kinesis<\/b>: shard limits/);
    // The capacity each backend was held to, as stated and here.
    expect(summary).toMatch(
      /<b>Capacity<\/b> · Kafka: 3 × express\.m7g\.large, 46\.8 MB\/s ingress \(published\) × 1\/\d+ = [\d.]+ KB\/s here.*; Kinesis: \d+ provisioned shards/,
    );
    expect(fidelitySection([run(null, 'kafka')], ['old'])).toContain(
      '<b>Capacity</b> · kafka: not recorded (unknown).',
    );
    expect(summary).toContain('not decision-grade');
    expect(summary).toContain(
      'self-check, of 2 configurations: <b>off its profile in 1</b>, not measured in 1',
    );
    // The full tables follow, folded.
    expect(html.slice(html.indexOf('<details'))).toContain('propagation mean');
    expect(html).toContain('not measured in this run');
  });
});
