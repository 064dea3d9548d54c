import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { BALANCER_HEALTH, startBalancer } from './server.ts';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

const urlOf = (a: FastifyInstance) =>
  `http://127.0.0.1:${(a.server.address() as AddressInfo).port}`;

/** An upstream that records what reached it and answers as an engine does. */
async function upstream(i: number, seen: { id: string; body: string }[]): Promise<string> {
  const a = Fastify();
  a.removeAllContentTypeParsers();
  a.addContentTypeParser('*', { parseAs: 'string' }, (_r, body, done) => done(null, body));
  a.post('/orders', async (req, reply) => {
    seen.push({ id: String(req.headers['event-id']), body: String(req.body) });
    if (String(req.body).includes('shed'))
      return reply.code(503).header('retry-after', '1').send({ error: 'shed' });
    return reply.code(202).header('x-instance', String(i)).send({ id: req.headers['event-id'] });
  });
  await a.listen({ host: '127.0.0.1', port: 0 });
  apps.push(a);
  return urlOf(a);
}

describe('balancer', () => {
  it('spreads writes over every instance, passing headers, bodies and answers as they are', async () => {
    const seen: { id: string; body: string }[][] = [[], []];
    const ups = [await upstream(0, seen[0]!), await upstream(1, seen[1]!)];
    const b = await startBalancer({ host: '127.0.0.1', port: 0, upstreams: ups, instance: 'x1' });
    apps.push(b);
    const answered: string[] = [];
    for (let k = 0; k < 20; k++) {
      const body = JSON.stringify({ k });
      const r = await fetch(`${urlOf(b)}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'event-id': `e${k}` },
        body,
      });
      expect(r.status).toBe(202);
      expect(await r.json()).toEqual({ id: `e${k}` });
      answered.push(r.headers.get('x-instance')!);
    }
    expect(seen[0]!.length).toBeGreaterThan(0);
    expect(seen[1]!.length).toBeGreaterThan(0);
    expect(seen[0]!.length + seen[1]!.length).toBe(20);
    const all = [...seen[0]!, ...seen[1]!].sort((a, b) => a.id.localeCompare(b.id));
    expect(all.find((s) => s.id === 'e7')?.body).toBe('{"k":7}');
    expect(new Set(answered)).toEqual(new Set(['0', '1']));
    const health = await (await fetch(`${urlOf(b)}${BALANCER_HEALTH}`)).json();
    expect(health).toMatchObject({ instance: 'x1', upstreams: ups });
  });

  it("passes an instance's 503 to the client once, unretried", async () => {
    const seen: { id: string; body: string }[] = [];
    const b = await startBalancer({
      host: '127.0.0.1',
      port: 0,
      upstreams: [await upstream(0, seen)],
    });
    apps.push(b);
    const r = await fetch(`${urlOf(b)}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'event-id': 's1' },
      body: '"shed"',
    });
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(seen).toHaveLength(1);
  });
});
