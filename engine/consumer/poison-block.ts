import type { Received } from '../backend.ts';
import { StoppingError } from '../errors.ts';

/**
 * The naive consumer's answer to a poison event: it has no DLQ, so it retries the event,
 * which can never succeed, until the engine stops. Its partition / shard stops there (the
 * batch is never committed), the events behind it wait, and the backlog grows: the
 * head-of-line blocking an unbounded-retry consumer without a DLQ shows.
 */
export function poisonBlocker(d: {
  retryMs: number;
  stopping: () => boolean;
  log: (msg: string, f?: Record<string, unknown>) => void;
  /** +1 when a partition / shard blocks, −1 when it is released (the engine stops). */
  onBlocked: (n: 1 | -1) => void;
  sleep?: (ms: number) => Promise<void>;
}) {
  const sleep = d.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return async (r: Received, reason: string, keepAlive: () => Promise<void>): Promise<never> => {
    d.log('poison event blocks its partition', { reason, source: r.source });
    d.onBlocked(1);
    try {
      for (;;) {
        if (d.stopping()) throw new StoppingError();
        await sleep(d.retryMs);
        await keepAlive();
      }
    } finally {
      d.onBlocked(-1);
    }
  };
}
