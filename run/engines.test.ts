import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { readLedger } from './audit/read.ts';
import { addHistograms, assertProducersFit, engineProcesses } from './engines.ts';

const histogram = (values: number[]) => {
  const h = hdr.build({
    numberOfSignificantValueDigits: 3,
    autoResize: true,
    useWebAssembly: false,
  });
  for (const v of values) h.recordValue(v);
  const out = hdr.encodeIntoCompressedBase64(h);
  h.destroy();
  return out;
};

describe('several engine instances', () => {
  it('adds their histograms: every sample of each', () => {
    const sum = hdr.decodeFromCompressedBase64(
      addHistograms([histogram([100, 200, 300]), histogram([5_000, 6_000])]),
    );
    expect(sum.totalCount).toBe(5);
    expect(sum.maxValue).toBeGreaterThanOrEqual(5_990);
    expect(sum.minNonZeroValue).toBeLessThanOrEqual(100);
    sum.destroy();
  });

  it('samples each process under its own name, the balancer too', () => {
    expect(engineProcesses(1)).toEqual([['engine', 'engine']]);
    expect(engineProcesses(3)).toEqual([
      ['engine-0', 'engine'],
      ['engine-1', 'engine-1'],
      ['engine-2', 'engine-2'],
      ['balancer', 'balancer'],
    ]);
  });

  it('refuses several producers when a switch would act on one instance’s backlog', () => {
    expect(() => assertProducersFit(1, {})).not.toThrow();
    expect(() => assertProducersFit(2, { design: 'naive' })).not.toThrow();
    // The engine's default design is hardened.
    expect(() => assertProducersFit(2, {})).toThrow(
      /--producers 2: admissionBreaker and backlogAlert must be off \(design hardened\)/,
    );
    expect(() => assertProducersFit(2, { design: 'naive', backlogAlert: 'true' })).toThrow(
      /backlogAlert must be off/,
    );
    expect(() =>
      assertProducersFit(2, { design: 'hardened', admissionBreaker: 'false', backlogAlert: '0' }),
    ).not.toThrow();
    expect(() => assertProducersFit(9, { design: 'naive' })).toThrow(
      "--producers: expected a whole number from 1 to 8, got '9'",
    );
  });

  it("reads every instance's ledger, and none when one is missing", () => {
    const dir = mkdtempSync(join(tmpdir(), 'hunt-ledgers-'));
    writeFileSync(join(dir, 'ledger.txt'), 'a\nb\n');
    expect(readLedger(dir, 2)).toBeNull();
    writeFileSync(join(dir, 'ledger-1.txt'), 'c\n');
    expect(readLedger(dir, 2)).toEqual(['a', 'b', 'c']);
    expect(readLedger(dir)).toEqual(['a', 'b']);
  });
});
