import { Agent, request } from 'node:http';
import { DownstreamError } from '../errors.ts';
import type { HuntEvent } from '../event.ts';

/**
 * Calls the fulfillment service with one batch of events. A 4xx means it refused the
 * batch for good; network errors, timeouts and 5xx are transient.
 */
export type FulfillFn = (events: HuntEvent[]) => Promise<void>;

/**
 * node:http on a keep-alive agent rather than fetch: a call is one write of headers and body
 * together and no WHATWG streams, well under half of fetch's CPU per call (engine/README.md,
 * Benchmark), and the consumer makes one call per partition batch.
 */
export function httpFulfillment(baseUrl: string, timeoutMs: number): FulfillFn {
  const url = new URL(`${baseUrl.replace(/\/$/, '')}/fulfillments`);
  if (url.protocol !== 'http:') throw new Error(`fulfillment URL must be http: ${baseUrl}`);
  const agent = new Agent({ keepAlive: true });
  return (events) =>
    new Promise<void>((resolve, reject) => {
      const body = Buffer.from(JSON.stringify({ events }));
      const transient = (e: Error) =>
        reject(
          new DownstreamError(`fulfillment unreachable: ${e.message}`, {
            retriable: true,
            cause: e,
          }),
        );
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          // Read the body to its end so the keep-alive connection can be reused.
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', transient);
          res.on('end', () => {
            clearTimeout(timer);
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve();
            const text = Buffer.concat(chunks).toString('utf8');
            reject(
              new DownstreamError(`fulfillment answered ${status}: ${text.slice(0, 200)}`, {
                retriable: status >= 500 || status === 429,
              }),
            );
          });
        },
      );
      // One timer for the whole call, connection and body included.
      const timer = setTimeout(
        () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      req.on('error', (e) => {
        clearTimeout(timer);
        transient(e);
      });
      req.end(body);
    });
}
