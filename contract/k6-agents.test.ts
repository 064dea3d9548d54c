import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { K6_SUMMARY_FILE, k6SummaryFigures } from './k6-agents.ts';

describe("k6's summary", () => {
  it('an unreadable one is an error naming the file, not an unknown figure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-summary-'));
    writeFileSync(join(dir, K6_SUMMARY_FILE), '{"metrics": {"hunt_accepted": ');
    expect(() => k6SummaryFigures(dir)).toThrow(/k6-summary\.json: not k6's JSON summary/);
    writeFileSync(join(dir, K6_SUMMARY_FILE), '{"state": {}}');
    expect(() => k6SummaryFigures(dir)).toThrow(/k6-summary\.json: metrics: missing/);
  });

  it('a missing one leaves the figures unknown', () => {
    expect(k6SummaryFigures(mkdtempSync(join(tmpdir(), 'k6-summary-')))).toBeNull();
  });
});
