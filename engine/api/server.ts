import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';
import type { ReadModel } from '../consumer/read-model.ts';
import { type HttpAnswer, httpOf, InputError } from '../errors.ts';
import type { EventType } from '../event.ts';
import type { Counters } from '../monitor/counters.ts';
import type { HistogramsSnapshot } from '../monitor/histograms.ts';
import type { EngineMetrics } from '../monitor/metrics.ts';
import type { EngineStatus } from '../status.ts';
import { answerFor } from './errors.ts';
import { type LingerOptions, lingerOverUnreadBody } from './linger.ts';
import * as s from './schemas.ts';

export interface ApiDeps {
  /** Publishes one event (under the client's id when given); resolves with its id after the broker's ack. */
  accept(
    type: EventType,
    huntId: string,
    playerId: string,
    payload: Record<string, unknown>,
    id?: string,
  ): Promise<string>;
  model: ReadModel;
  status(): EngineStatus;
  histograms(): HistogramsSnapshot;
  registry: Registry;
  metrics: EngineMetrics;
  counters: Counters;
  bodyLimitBytes: number;
  /** Bounds on reading the rest of a body answered early (default `LINGER`). */
  linger?: LingerOptions;
}

type Params = { huntId: string };

/**
 * A client may name the event it writes (`Event-Id`), so that it can find the event in the
 * stream later without trusting the engine: the load generator's audit does exactly that.
 * The engine does not deduplicate on it.
 */
const EVENT_ID_HEADER = 'event-id';
const EVENT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
/** The union of every route's fields; each route's schema guarantees its own subset. */
type Body = {
  playerId: string;
  displayName: string;
  clueId: string;
  answer: string;
  treasureId: string;
  huntId: string;
  priceCents: number;
};

/** The engine's HTTP API (docs/contracts.md). Bad input gets a 4xx and produces nothing. */
export function buildApi(d: ApiDeps): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: d.bodyLimitBytes,
    // Huge ids and odd bytes must reach our validation, not crash the router.
    routerOptions: { maxParamLength: 512 },
    ajv: { customOptions: s.AJV_OPTIONS },
    return503OnClosing: true,
    // Router-level refusals (bad URL encoding, over-long params) get our codes too.
    frameworkErrors: (err, _req, reply) => send(reply, answerFor(err)),
  });
  // JSON only: without this Fastify would parse text/plain and the body would fail later.
  app.removeContentTypeParser('text/plain');

  function send(reply: FastifyReply, a: HttpAnswer) {
    if (a.status >= 400 && a.status < 500) d.counters.rejected.add(a.body.error ?? 'unknown');
    else if (a.status >= 500 && a.body.error === 'shed')
      d.counters.shed.add(a.body.reason ?? 'unknown');
    else if (a.status >= 500) d.counters.failed.add(a.body.error ?? 'unknown');
    if (a.headers) reply.headers(a.headers);
    if (!reply.request.raw.complete) {
      // Answered before the body was read: linger instead of closing (see linger.ts).
      reply.removeHeader('connection');
      lingerOverUnreadBody(reply.request.raw, d.linger);
    }
    return reply.code(a.status).send(a.body);
  }
  app.setErrorHandler((err, _req, reply) => send(reply, answerFor(err)));
  app.setNotFoundHandler((req, reply) =>
    send(
      reply,
      httpOf(new InputError('not-found', `no route ${req.method} ${req.url.slice(0, 200)}`, 404)),
    ),
  );
  app.addHook('onResponse', (req, reply, done) => {
    d.metrics.http.observe(
      {
        method: req.method,
        route: req.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });

  const write = (
    url: string,
    schema: { params?: object; body: object },
    build: (p: Params, b: Body) => [EventType, string, string, Record<string, unknown>],
  ) =>
    app.post<{ Params: Params; Body: Body }>(url, { schema }, async (req, reply) => {
      const [type, huntId, playerId, payload] = build(req.params, req.body);
      const clientId = req.headers[EVENT_ID_HEADER];
      if (clientId !== undefined && (typeof clientId !== 'string' || !EVENT_ID.test(clientId))) {
        const detail = 'Event-Id header: expected 1-64 of A-Z a-z 0-9 _ . : -';
        return send(reply, httpOf(new InputError('invalid-event-id', detail)));
      }
      try {
        const id = await d.accept(type, huntId, playerId, payload, clientId);
        return reply.code(202).send({ id });
      } catch (e) {
        return send(reply, httpOf(e));
      }
    });

  write('/hunts/:huntId/players', { params: s.huntParams, body: s.playerBody }, (p, b) => [
    'player.joined',
    p.huntId,
    b.playerId,
    { displayName: b.displayName },
  ]);
  write('/hunts/:huntId/clues', { params: s.huntParams, body: s.clueBody }, (p, b) => [
    'clue.found',
    p.huntId,
    b.playerId,
    { clueId: b.clueId, answer: b.answer },
  ]);
  write('/hunts/:huntId/claims', { params: s.huntParams, body: s.claimBody }, (p, b) => [
    'treasure.claimed',
    p.huntId,
    b.playerId,
    { treasureId: b.treasureId },
  ]);
  write('/orders', { body: s.orderBody }, (_p, b) => [
    'order.placed',
    b.huntId,
    b.playerId,
    { treasureId: b.treasureId, priceCents: b.priceCents },
  ]);

  app.get<{ Params: Params }>(
    '/hunts/:huntId/leaderboard',
    { schema: { params: s.huntParams } },
    async (req) => d.model.leaderboard(req.params.huntId),
  );
  app.get<{ Params: { id: string } }>(
    '/treasures/:id',
    { schema: { params: s.treasureParams } },
    async (req, reply) => {
      const t = d.model.treasure(req.params.id);
      if (!t)
        return send(
          reply,
          httpOf(new InputError('not-found', `no treasure ${req.params.id}`, 404)),
        );
      return t;
    },
  );
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/status', async () => d.status());
  app.get('/histograms', async () => d.histograms());
  app.get('/metrics', async (_req, reply) =>
    reply.header('content-type', d.registry.contentType).send(await d.registry.metrics()),
  );
  return app;
}
