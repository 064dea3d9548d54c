/**
 * Failed sales, from what k6 and the fulfillment service recorded (never from the engine):
 * each order k6 sent (POST /orders, poison excluded: an order built to be refused is no
 * sale) is not accepted (no 202 for its id), not fulfilled (a 202, and absent from
 * fulfilled.ndjson), or late (fulfilled more than the promise after it was placed). Each
 * is valued at the catalogue's price of its treasure (k6 metadata `treasure_id`).
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { agentCount, k6SampleFiles } from '../reports/k6-agents.ts';
import { fieldAt, forEachK6Line, tagValue } from '../reports/k6-samples.ts';
import type { SalesLoss, Symptoms } from '../reports/schema.ts';
import { unknownSales } from '../reports/symptoms.ts';

// Only these lines are read: found by a native search, the rest never reach JavaScript.
const DURATION = ['http_req_duration,'];
export const ORDER_ROUTE = 'POST /orders';

export interface SentOrder {
  accepted: boolean;
  priceCents: number | null;
}

/** The catalogue's price of each treasure id, from scenarios/data/*.json. */
export function readPrices(catalogueFile: string): Map<string, number> {
  const data = JSON.parse(readFileSync(catalogueFile, 'utf8')) as {
    treasures?: { id: string; priceCents: number }[];
  };
  return new Map((data.treasures ?? []).map((t) => [t.id, t.priceCents]));
}

/** Every order id k6 sent, whether any attempt was answered 202, and its catalogue price. */
export async function readOrders(
  files: string | string[],
  prices: Map<string, number>,
): Promise<Map<string, SentOrder>> {
  const orders = new Map<string, SentOrder>();
  for (const file of typeof files === 'string' ? [files] : files)
    await readOrdersOf(file, prices, orders);
  return orders;
}

async function readOrdersOf(
  file: string,
  prices: Map<string, number>,
  orders: Map<string, SentOrder>,
): Promise<void> {
  await forEachK6Line(
    file,
    (buf, start, end, cols) => {
      if (fieldAt(buf, start, end, cols.name ?? -1) !== ORDER_ROUTE) return;
      const poison = tagValue(fieldAt(buf, start, end, cols.extra_tags ?? -1), 'poison');
      if (poison !== undefined && poison !== 'none') return;
      const meta = fieldAt(buf, start, end, cols.metadata ?? -1);
      const id = tagValue(meta, 'event_id');
      if (!id) return;
      const treasure = tagValue(meta, 'treasure_id');
      const o = orders.get(id) ?? {
        accepted: false,
        priceCents: treasure ? (prices.get(treasure) ?? null) : null,
      };
      if (fieldAt(buf, start, end, cols.status ?? -1) === '202') o.accepted = true;
      orders.set(id, o);
    },
    DURATION,
  );
}

/** id → ms from the order to its first fulfilment, from fulfilled.ndjson. */
export async function readFulfilled(file: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const f = JSON.parse(line) as { id?: unknown; ts?: unknown; fulfilledAt?: unknown };
    if (typeof f.id !== 'string' || out.has(f.id)) continue;
    const took =
      typeof f.ts === 'number' && typeof f.fulfilledAt === 'number' ? f.fulfilledAt - f.ts : NaN;
    out.set(f.id, took);
  }
  return out;
}

const add = (l: SalesLoss, o: SentOrder) => {
  l.orders++;
  l.cents = l.cents === null || o.priceCents === null ? null : l.cents + o.priceCents;
};

/** The sales symptoms from the orders and fulfilments; a late time unknown makes `late` unknown. */
export function salesFigures(
  orders: Map<string, SentOrder>,
  fulfilled: Map<string, number> | null,
  promiseMs: number,
): Symptoms['sales'] {
  const notAccepted: SalesLoss = { orders: 0, cents: 0 };
  const notFulfilled: SalesLoss | null = fulfilled ? { orders: 0, cents: 0 } : null;
  let late: SalesLoss | null = fulfilled ? { orders: 0, cents: 0 } : null;
  for (const [id, o] of orders) {
    if (!o.accepted) {
      add(notAccepted, o);
      continue;
    }
    if (!fulfilled || !notFulfilled) continue;
    const took = fulfilled.get(id);
    if (took === undefined) add(notFulfilled, o);
    else if (Number.isNaN(took)) late = null;
    else if (late && took > promiseMs) add(late, o);
  }
  const parts = [notAccepted, notFulfilled, late];
  const atRiskCents = parts.every((p) => p !== null && p.cents !== null)
    ? parts.reduce((n, p) => n + (p?.cents ?? 0), 0)
    : null;
  return { promiseMs, orders: orders.size, notAccepted, notFulfilled, late, atRiskCents };
}

/** The sales symptoms of a results directory; what was not recorded stays unknown. */
export async function readSales(
  dir: string,
  catalogueFile: string,
  promiseMs: number,
): Promise<Symptoms['sales']> {
  // Every agent's samples (or the one k6's); an agent that left none leaves sales unknown.
  const samples = k6SampleFiles(dir);
  const agents = agentCount(dir) ?? 0;
  if (samples.length === 0 || (agents > 0 && samples.length < agents))
    return unknownSales(promiseMs);
  const orders = await readOrders(samples, readPrices(catalogueFile));
  const file = `${dir}/fulfilled.ndjson`;
  const fulfilled = existsSync(file) ? await readFulfilled(file) : null;
  return salesFigures(orders, fulfilled, promiseMs);
}
