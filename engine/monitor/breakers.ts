import {
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from 'cockatiel';

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

export interface BreakerView {
  state: BreakerState;
  /** Times it went from closed to open. */
  opens: number;
  /** Total time spent not closed, ms. */
  openMs: number;
  /** When the current state began (epoch ms). */
  since: number;
}

export type BreakerChange = (name: string, from: BreakerState, to: BreakerState) => void;

const fromCockatiel: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * Every breaker's state in one place, so that a state change reaches the metric, the log
 * and /status through one listener list.
 */
export class BreakerBoard {
  private readonly breakers = new Map<string, BreakerView>();
  private readonly listeners: BreakerChange[] = [];

  constructor(private readonly now: () => number) {}

  onChange(fn: BreakerChange): void {
    this.listeners.push(fn);
  }

  register(name: string): void {
    if (!this.breakers.has(name)) {
      this.breakers.set(name, { state: 'closed', opens: 0, openMs: 0, since: this.now() });
    }
  }

  /** Follows a cockatiel breaker's state changes. */
  attach(name: string, policy: CircuitBreakerPolicy): void {
    this.register(name);
    policy.onStateChange((s) => this.set(name, fromCockatiel[s]));
  }

  set(name: string, to: BreakerState): void {
    this.register(name);
    const b = this.breakers.get(name)!;
    const from = b.state;
    if (from === to) return;
    const t = this.now();
    if (from !== 'closed') b.openMs += t - b.since;
    if (from === 'closed') b.opens++;
    b.state = to;
    b.since = t;
    for (const fn of this.listeners) fn(name, from, to);
  }

  state(name: string): BreakerState {
    return this.breakers.get(name)?.state ?? 'closed';
  }

  view(): Record<string, BreakerView> {
    const t = this.now();
    const out: Record<string, BreakerView> = {};
    for (const [name, b] of this.breakers) {
      out[name] = { ...b, openMs: b.openMs + (b.state === 'closed' ? 0 : t - b.since) };
    }
    return out;
  }
}

/**
 * Backlog admission with hysteresis: opens when the backlog reaches `critical`, closes only
 * once it fell below `resume`, so that admission does not flap around one threshold.
 */
export class AdmissionBreaker {
  constructor(
    private readonly board: BreakerBoard,
    private readonly name: string,
    private readonly critical: number,
    private readonly resume: number,
  ) {
    board.register(name);
  }

  /** Updates the state from the current backlog; true while writes must be shed. */
  update(backlog: number): boolean {
    const open = this.board.state(this.name) === 'open';
    if (!open && backlog >= this.critical) this.board.set(this.name, 'open');
    else if (open && backlog < this.resume) this.board.set(this.name, 'closed');
    return this.board.state(this.name) === 'open';
  }
}

/**
 * A breaker that handles no failure and so never opens: the stand-in for a breaker a design
 * switch turned off, so the call paths and /status keep one shape.
 */
export function neverOpens(): CircuitBreakerPolicy {
  return circuitBreaker(
    handleWhen(() => false),
    { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(1) },
  );
}
