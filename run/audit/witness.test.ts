import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { K6_HEADER } from '../../reports/fixtures/k6-rows.ts';
import { readK6Witness, WitnessError } from './witness.ts';

const dir = mkdtempSync(join(tmpdir(), 'witness-'));
const sample = (method: string, status: number, metadata: string, error = '') =>
  `http_req_duration,1700000000,3.1,,${error},,true,,${method},http://x/orders,HTTP/1.1,peak,,${status},,,http://x/orders,kind=order,${metadata}`;

describe('readK6Witness', () => {
  it("reads which event ids k6 sent and which it got a 202 for, from k6's own samples", async () => {
    const file = join(dir, 'k6-samples.csv.gz');
    const lines = [
      K6_HEADER,
      sample('POST', 202, 'event_id=a'),
      sample('POST', 503, 'event_id=b'),
      // b retried under the same id, then accepted
      sample('POST', 202, 'event_id=b'),
      sample('POST', 0, 'event_id=c', '"request timeout, after 60s"'),
      sample('POST', 504, 'event_id=d'),
      // setup()'s health check carries no id and is no write
      sample('GET', 200, ''),
      `hunt_accepted,1700000000,1,,,,,,,,,peak,,,,,,kind=order,event_id=a`,
    ];
    writeFileSync(file, gzipSync(`${lines.join('\n')}\n`));
    const w = await readK6Witness(file);
    expect([...w.accepted].sort()).toEqual(['a', 'b']);
    expect([...w.sent].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(w.unwitnessed).toBe(0);
  });

  it('counts a write sampled without an id as unwitnessed', async () => {
    const file = join(dir, 'no-id.csv.gz');
    writeFileSync(file, gzipSync(`${K6_HEADER}\n${sample('POST', 202, '')}\n`));
    expect((await readK6Witness(file)).unwitnessed).toBe(1);
  });

  it('refuses to audit without samples: no witness, no verdict', async () => {
    await expect(readK6Witness(join(dir, 'missing.csv.gz'))).rejects.toThrow(WitnessError);
  });
});

describe('readK6Witness, on a samples file without a column it needs', () => {
  it.each(['method', 'status', 'metadata'])(
    'refuses a header without %s, naming the file and the column',
    async (column) => {
      const file = join(dir, `no-${column}.csv.gz`);
      const header = K6_HEADER.split(',').filter((c) => c !== column);
      const row = sample('POST', 202, 'event_id=a').split(',');
      row.splice(K6_HEADER.split(',').indexOf(column), 1);
      writeFileSync(file, gzipSync(`${header.join(',')}\n${row.join(',')}\n`));
      await expect(readK6Witness(file)).rejects.toThrow(
        new RegExp(`no-${column}\\.csv\\.gz: k6 CSV header has no column ${column}`),
      );
    },
  );
});
