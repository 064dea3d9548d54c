import Fastify, { type FastifyInstance } from 'fastify';
import {
  type Capacity,
  CapacityModel,
  CapacityPatchSchema,
  CapacitySchema,
  DEFAULT_CAPACITY,
} from './capacity.ts';
import { type FulfilledEvent, FulfilledRecord, lineOf } from './record.ts';

export interface FulfillmentOptions {
  host: string;
  port: number;
  /** Initial capacity (capacity.ts); default effectively unlimited, no errors. */
  capacity?: Partial<Capacity>;
  /** Seed of the generator that picks the requests answered with an error. */
  seed?: number;
  /** Append one ndjson line per first fulfilment of an event here (record.ts). */
  record?: string;
  /** Echoed by /healthz, so that a run can tell its own service from another on the port. */
  instance?: string;
}

/**
 * The fulfillment service the consumer calls through the downstream proxy: it records
 * each event id once (idempotent, like a real shipping system keyed by order id) and
 * counts repeats, within a capacity that can be changed while it runs
 * (`PUT /admin/capacity`). Its own process, so chaos can stop or slow it independently.
 */
export function buildFulfillment(
  opts: Omit<FulfillmentOptions, 'host' | 'port'> = {},
): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 32 * 1024 * 1024 });
  const model = new CapacityModel(
    CapacitySchema.parse({ ...DEFAULT_CAPACITY, ...opts.capacity }),
    opts.seed ?? 1,
  );
  const record = opts.record ? new FulfilledRecord(opts.record) : undefined;
  const fulfilled = new Set<string>();
  let batches = 0;
  let repeats = 0;
  app.post<{ Body: { events: FulfilledEvent[] } }>(
    '/fulfillments',
    {
      schema: {
        body: {
          type: 'object',
          required: ['events'],
          properties: {
            events: {
              type: 'array',
              items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const verdict = await model.handle(() => {
        batches++;
        const now = Date.now();
        const first: FulfilledEvent[] = [];
        for (const e of req.body.events) {
          if (fulfilled.has(e.id)) repeats++;
          else {
            fulfilled.add(e.id);
            first.push(e);
          }
        }
        record?.append(first.map((e) => lineOf(e, now)));
      }, req.body.events.length);
      if (verdict.status === 200) return { ok: req.body.events.length };
      if (verdict.status === 503) reply.header('retry-after', '1');
      return reply.code(verdict.status).send({ error: verdict.error });
    },
  );
  app.get('/status', async () => ({
    fulfilled: fulfilled.size,
    batches,
    repeats,
    ...model.counts,
    ...model.load,
    capacity: model.capacity,
  }));
  app.get('/admin/capacity', async () => model.capacity);
  app.put('/admin/capacity', async (req, reply) => {
    const patch = CapacityPatchSchema.safeParse(req.body ?? {});
    const merged = patch.success
      ? CapacitySchema.safeParse({ ...model.capacity, ...patch.data })
      : patch;
    if (!patch.success || !merged.success) {
      const issues = (patch.success ? merged : patch).error!.issues;
      const message = issues
        .map((i) =>
          i.code === 'unrecognized_keys'
            ? `unknown key(s) ${i.keys.join(', ')}`
            : `${i.path.join('.') || 'body'}: ${i.message}`,
        )
        .join('; ');
      return reply.code(400).send({ error: 'invalid-capacity', message });
    }
    const previous = model.set(patch.data);
    return { previous, capacity: model.capacity };
  });
  app.get('/healthz', async () => ({ ok: true, instance: opts.instance ?? null }));
  app.addHook('onClose', async () => record?.close());
  return app;
}

export async function startFulfillment(opts: FulfillmentOptions): Promise<FastifyInstance> {
  const app = buildFulfillment(opts);
  await app.listen({ host: opts.host, port: opts.port });
  return app;
}
