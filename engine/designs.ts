/**
 * The engine's designs: presets of the switches that tell the hardened engine from the naive
 * one the incident ran on. Each switch can also be set on its own (engine/README.md), so a
 * run can add one hardening at a time to the naive design and see which symptom it removes.
 */
export const DESIGN_NAMES = ['hardened', 'naive'] as const;
export type DesignName = (typeof DESIGN_NAMES)[number];

export interface Switches {
  /** Shed writes with 503 `backlog-critical` while the backlog is critical. */
  admissionBreaker: boolean;
  /** Shed writes with 503 `breaker-open` after consecutive failed broker calls. */
  producerBreaker: boolean;
  /** Pause the consumer while the fulfillment service keeps failing. */
  downstreamBreaker: boolean;
  /**
   * Poison and exhausted retries go to the DLQ. Without it, failed fulfillment calls are
   * retried without limit and a poison event blocks its partition / shard.
   */
  dlq: boolean;
  /** Evaluate HuntBacklogCritical. */
  backlogAlert: boolean;
  /**
   * Bound the producer queue (`maxQueue`, then 503 `queue-full`) and answer within
   * `publishTimeoutMs`. Without it the queue grows without bound and a write waits for its ack.
   */
  boundedQueue: boolean;
}

export const SWITCH_KEYS = [
  'admissionBreaker',
  'producerBreaker',
  'downstreamBreaker',
  'dlq',
  'backlogAlert',
  'boundedQueue',
] as const satisfies readonly (keyof Switches)[];

export const DESIGNS = {
  hardened: {
    admissionBreaker: true,
    producerBreaker: true,
    downstreamBreaker: true,
    dlq: true,
    backlogAlert: true,
    boundedQueue: true,
  },
  naive: {
    admissionBreaker: false,
    producerBreaker: false,
    downstreamBreaker: false,
    dlq: false,
    backlogAlert: false,
    boundedQueue: false,
  },
} as const satisfies Record<DesignName, Switches>;

/** The design's switches, each overridden by an explicitly set one. */
export function resolveSwitches(design: DesignName, set: Partial<Switches>): Switches {
  const out: Switches = { ...DESIGNS[design] };
  for (const k of SWITCH_KEYS) if (set[k] !== undefined) out[k] = set[k];
  return out;
}
