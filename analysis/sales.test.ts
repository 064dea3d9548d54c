import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { K6_HEADER } from '../reports/fixtures/k6-rows.ts';
import { readSales, salesFigures } from './sales.ts';

const dir = mkdtempSync(join(tmpdir(), 'sales-'));
const catalogue = join(dir, 'catalogue.json');
writeFileSync(
  catalogue,
  JSON.stringify({
    treasures: [
      { id: 'tr-1', priceCents: 1000 },
      { id: 'tr-2', priceCents: 250 },
    ],
  }),
);
const sample = (route: string, status: number, meta: string, poison = 'none') =>
  `http_req_duration,1700000000,3.1,,,,true,,POST,${route},HTTP/1.1,peak,,${status},,,http://x/orders,kind=order&poison=${poison},${meta}`;

describe('failed sales', () => {
  it("counts orders not accepted, not fulfilled and late, valued at the catalogue's prices", async () => {
    const rows = [
      K6_HEADER,
      sample('POST /orders', 202, 'event_id=ok&treasure_id=tr-1'),
      // shed, then retried under the same id and accepted: one order, accepted
      sample('POST /orders', 503, 'event_id=retried&treasure_id=tr-2'),
      sample('POST /orders', 202, 'event_id=retried&treasure_id=tr-2'),
      sample('POST /orders', 503, 'event_id=refused&treasure_id=tr-1'),
      sample('POST /orders', 0, 'event_id=timeout&treasure_id=tr-2'),
      sample('POST /orders', 202, 'event_id=never&treasure_id=tr-1'),
      sample('POST /orders', 202, 'event_id=late&treasure_id=tr-2'),
      // a poisoned order is built to be refused: no sale
      sample('POST /orders', 400, 'event_id=poison&treasure_id=tr-x', 'unknown-treasure'),
      // not an order
      sample('POST /hunts/:huntId/claims', 503, 'event_id=claim'),
    ];
    writeFileSync(join(dir, 'k6-samples.csv.gz'), gzipSync(`${rows.join('\n')}\n`));
    const line = (id: string, took: number) =>
      JSON.stringify({ id, type: 'order.placed', ts: 1_000, fulfilledAt: 1_000 + took });
    writeFileSync(
      join(dir, 'fulfilled.ndjson'),
      [line('ok', 200), line('retried', 30_000), line('late', 30_001), line('late', 5)].join('\n'),
    );
    expect(await readSales(dir, catalogue, 30_000)).toEqual({
      promiseMs: 30_000,
      orders: 6,
      notAccepted: { orders: 2, cents: 1250 },
      notFulfilled: { orders: 1, cents: 1000 },
      late: { orders: 1, cents: 250 },
      atRiskCents: 2500,
    });
  });

  it('leaves what was not recorded unknown, never 0', async () => {
    const none = mkdtempSync(join(tmpdir(), 'sales-none-'));
    expect(await readSales(none, catalogue, 30_000)).toEqual({
      promiseMs: 30_000,
      orders: null,
      notAccepted: null,
      notFulfilled: null,
      late: null,
      atRiskCents: null,
    });
    const orders = new Map([['a', { accepted: true, priceCents: 100 }]]);
    // No fulfilled.ndjson: fulfilment unknown, and so the revenue at risk.
    expect(salesFigures(orders, null, 1)).toMatchObject({
      notFulfilled: null,
      late: null,
      atRiskCents: null,
    });
    // Samples with no order in them: no sale was made, so none can be said to have failed.
    const noOrders = mkdtempSync(join(tmpdir(), 'sales-no-orders-'));
    writeFileSync(
      join(noOrders, 'k6-samples.csv.gz'),
      gzipSync(`${K6_HEADER}\n${sample('POST /hunts/h-1/claims', 202, 'event_id=c')}\n`),
    );
    writeFileSync(join(noOrders, 'fulfilled.ndjson'), '');
    expect(await readSales(noOrders, catalogue, 30_000)).toEqual({
      promiseMs: 30_000,
      orders: 0,
      notAccepted: null,
      notFulfilled: null,
      late: null,
      atRiskCents: null,
    });
    // An order whose treasure has no price: counted, its value unknown.
    const unpriced = new Map([['a', { accepted: false, priceCents: null }]]);
    expect(salesFigures(unpriced, new Map(), 1)).toMatchObject({
      notAccepted: { orders: 1, cents: null },
      atRiskCents: null,
    });
  });
});
