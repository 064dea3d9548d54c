/** Time for the runner, passed in so that tests run a plan on a fake clock in no time. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves at `epochMs`, or at once when `signal` aborts (never rejects). */
  sleepUntil(epochMs: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleepUntil(epochMs, signal) {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      // Node fires timers above 2^31-1 ms at once, so "forever" waits for the signal alone.
      const delay = epochMs - Date.now();
      const timer = delay < 2 ** 31 - 1 ? setTimeout(done, Math.max(0, delay)) : undefined;
      signal?.addEventListener('abort', done, { once: true });
    });
  },
};

/**
 * A clock that jumps straight to each wake-up time. `onSleep` sees every jump, which lets a
 * test abort the run at a chosen moment.
 */
export class JumpClock implements Clock {
  constructor(
    public t = 0,
    private readonly onSleep?: (until: number) => void,
  ) {}
  now(): number {
    return this.t;
  }
  async sleepUntil(epochMs: number, signal?: AbortSignal): Promise<void> {
    // Let work started before this sleep (in-memory fakes) finish at the current time.
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) return;
    this.onSleep?.(epochMs);
    if (signal?.aborted) return;
    this.t = Math.max(this.t, epochMs);
  }
  /** Time passing while a step's call is in flight. */
  advance(ms: number): void {
    this.t += ms;
  }
}
