/**
 * The load balancer in front of several engine instances ("more producer instances"): one
 * address, every request passed as it came to the next instance. What a deployment puts in
 * front of N instances is a balancer, so the clients (k6) stay as they are. Forwarding is
 * @fastify/reply-from's, which with several upstreams uses undici's BalancedPool.
 */
import replyFrom from '@fastify/reply-from';
import Fastify, { type FastifyInstance } from 'fastify';

export interface BalancerOptions {
  host: string;
  port: number;
  /** The instances' base URLs, e.g. http://127.0.0.1:40001. */
  upstreams: string[];
  /** A name its own route echoes, so a caller can tell this balancer from another. */
  instance?: string;
}

/** The balancer's own route; every other path is forwarded. */
export const BALANCER_HEALTH = '/balancer/healthz';

export async function startBalancer(o: BalancerOptions): Promise<FastifyInstance> {
  if (o.upstreams.length === 0) throw new Error('a balancer needs at least one upstream');
  const app = Fastify({ logger: false });
  // Bodies pass through unread: the engine checks them (size, type, JSON) and answers itself.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  await app.register(replyFrom, {
    base: o.upstreams.length === 1 ? o.upstreams[0]! : o.upstreams,
    // Transparent: an engine's 503 (a shed) is the client's answer, never retried here.
    maxRetriesOn503: 0,
  });
  app.get(BALANCER_HEALTH, async () => ({
    status: 'ok',
    instance: o.instance ?? null,
    upstreams: o.upstreams,
  }));
  app.all('/*', (req, reply) => {
    reply.from(req.url);
  });
  await app.listen({ host: o.host, port: o.port });
  return app;
}
