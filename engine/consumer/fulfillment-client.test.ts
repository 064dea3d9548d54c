import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DownstreamError } from '../errors.ts';
import type { HuntEvent } from '../event.ts';
import { httpFulfillment } from './fulfillment-client.ts';

const event: HuntEvent = {
  id: 'e1',
  type: 'player.joined',
  huntId: 'h1',
  playerId: 'p1',
  ts: 1,
  payload: {},
};
let server: Server | undefined;

/** A fulfillment service answering every call with `status` after `delayMs`; records bodies. */
async function serve(status: number, delayMs = 0): Promise<{ url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => {
      text += c;
    });
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      setTimeout(() => res.writeHead(status).end('{"why":"because"}'), delayMs);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, bodies };
}

afterEach(() => {
  server?.closeAllConnections();
  server?.close();
});

describe('httpFulfillment', () => {
  it('posts the events and resolves on a 2xx, reusing its connection', async () => {
    const { url, bodies } = await serve(200);
    const fulfill = httpFulfillment(url, 1000);
    await fulfill([event]);
    await fulfill([event, event]);
    expect(bodies).toEqual([{ events: [event] }, { events: [event, event] }]);
  });

  it('a 4xx is a refusal for good, a 5xx is transient; the message carries the body', async () => {
    const refused = await httpFulfillment((await serve(422)).url, 1000)([event]).catch((e) => e);
    expect(refused).toBeInstanceOf(DownstreamError);
    expect(refused.retriable).toBe(false);
    expect(refused.message).toContain('422');
    expect(refused.message).toContain('because');
    server?.close();
    const failed = await httpFulfillment((await serve(503)).url, 1000)([event]).catch((e) => e);
    expect(failed.retriable).toBe(true);
  });

  it('a call without an answer in time, or without a service, is transient', async () => {
    const slow = await httpFulfillment((await serve(200, 2000)).url, 100)([event]).catch((e) => e);
    expect(slow).toBeInstanceOf(DownstreamError);
    expect(slow.retriable).toBe(true);
    expect(slow.message).toContain('within 100 ms');
    const gone = await httpFulfillment('http://127.0.0.1:1', 1000)([event]).catch((e) => e);
    expect(gone.retriable).toBe(true);
    expect(gone.message).toContain('unreachable');
  });
});
