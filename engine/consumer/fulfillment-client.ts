import { DownstreamError } from '../errors.ts';
import type { HuntEvent } from '../event.ts';

/**
 * Calls the fulfillment service with one batch of events. A 4xx means it refused the
 * batch for good; network errors, timeouts and 5xx are transient.
 */
export type FulfillFn = (events: HuntEvent[]) => Promise<void>;

export function httpFulfillment(baseUrl: string, timeoutMs: number): FulfillFn {
  const url = `${baseUrl.replace(/\/$/, '')}/fulfillments`;
  return async (events) => {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new DownstreamError(`fulfillment unreachable: ${(e as Error).message}`, {
        retriable: true,
        cause: e,
      });
    }
    // Drain the body so the keep-alive connection can be reused.
    const text = await res.text().catch(() => '');
    if (res.ok) return;
    throw new DownstreamError(`fulfillment answered ${res.status}: ${text.slice(0, 200)}`, {
      retriable: res.status >= 500 || res.status === 429,
    });
  };
}
