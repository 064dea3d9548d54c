/**
 * One error hierarchy for the engine, in the manner of kafkajs: every error says whether
 * retrying can help (`retriable`) and keeps its `cause`. `httpOf()` is the single place
 * where an error becomes an HTTP answer.
 */
import { UserError } from '../common/user-error.ts';

export type ShedReason = 'queue-full' | 'breaker-open' | 'backlog-critical';

export class EngineError extends Error {
  override name = 'EngineError';
  readonly retriable: boolean;
  constructor(message: string, opts: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.retriable = opts.retriable ?? false;
  }
}

/** A request refused before it reached the broker; the client should come back later. */
export class ShedError extends EngineError {
  override name = 'ShedError';
  constructor(
    readonly reason: ShedReason,
    readonly retryAfterS = 1,
  ) {
    super(`shed: ${reason}`, { retriable: true });
  }
}

/**
 * The broker did not acknowledge in time; the event may or may not have been written.
 * `sent` false: it waited for a free broker call that never came, and was not written.
 */
export class PublishTimeoutError extends EngineError {
  override name = 'PublishTimeoutError';
  constructor(ms: number, opts: { cause?: unknown; sent?: boolean } = {}) {
    super(
      opts.sent === false
        ? `no broker call could take the event within ${ms} ms; it was not sent`
        : `broker did not acknowledge within ${ms} ms`,
      { retriable: true, cause: opts.cause },
    );
  }
}

/** The broker refused or failed the write. */
export class BrokerError extends EngineError {
  override name = 'BrokerError';
  /** No answer said whether the write happened (lost connection, 5xx): it may have. */
  readonly unknownOutcome: boolean;
  constructor(
    message: string,
    opts: { retriable?: boolean; cause?: unknown; unknownOutcome?: boolean } = {},
  ) {
    super(message, { retriable: opts.retriable ?? true, cause: opts.cause });
    this.unknownOutcome = opts.unknownOutcome ?? false;
  }
}

/** Kinesis told us to slow down; retried with backoff by the backend. */
export class ThrottledError extends BrokerError {
  override name = 'ThrottledError';
}

/**
 * The ledger could not be written. With `writtenId` the event was already on the broker when
 * its line failed; without, the write was refused before it reached the broker.
 */
export class LedgerError extends EngineError {
  override name = 'LedgerError';
  constructor(
    message: string,
    readonly writtenId?: string,
    cause?: unknown,
  ) {
    super(message, { retriable: writtenId === undefined, cause });
  }
}

/** Bad input at the API; never retriable. `code` is the kebab-case machine reason. */
export class InputError extends EngineError {
  override name = 'InputError';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** The engine is shutting down and takes no new work. */
export class StoppingError extends EngineError {
  override name = 'StoppingError';
  constructor() {
    super('engine is shutting down', { retriable: true });
  }
}

/** The fulfillment service failed; `retriable` false means it rejected the event for good. */
export class DownstreamError extends EngineError {
  override name = 'DownstreamError';
}

/**
 * An invalid configuration value; the message names the setting and what was expected.
 * The user's to fix, never retriable, so not an EngineError.
 */
export class EngineConfigError extends UserError {
  override name = 'EngineConfigError';
}

/**
 * The engine could not connect to its brokers at start (wrong credentials, an untrusted
 * certificate, TLS mismatch, unreachable): one line naming the setting to fix.
 */
export class BrokerConnectError extends UserError {
  override name = 'BrokerConnectError';
}

export const isShedError = (e: unknown): e is ShedError => e instanceof ShedError;
export const isRetriable = (e: unknown): boolean => e instanceof EngineError && e.retriable;

export interface HttpAnswer {
  status: number;
  body: Record<string, string>;
  headers?: Record<string, string>;
}

/** The one error→HTTP table. Anything unknown is a 500 that says nothing internal. */
export function httpOf(e: unknown): HttpAnswer {
  if (e instanceof ShedError) {
    return {
      status: 503,
      body: { error: 'shed', reason: e.reason },
      headers: { 'retry-after': String(e.retryAfterS) },
    };
  }
  if (e instanceof InputError)
    return { status: e.status, body: { error: e.code, message: e.message } };
  if (e instanceof PublishTimeoutError) {
    return {
      status: 504,
      body: { error: 'publish-timeout', message: e.message },
      headers: { 'retry-after': '1' },
    };
  }
  // A 503 invites a retry under a new id: only for writes the broker surely did not take.
  if (e instanceof BrokerError && e.unknownOutcome) {
    return {
      status: 504,
      body: { error: 'publish-unknown', message: e.message },
      headers: { 'retry-after': '1' },
    };
  }
  if (e instanceof BrokerError) {
    return {
      status: 503,
      body: { error: 'broker-unavailable', message: e.message },
      headers: { 'retry-after': '1' },
    };
  }
  if (e instanceof LedgerError) {
    // Already on the broker: it will be processed, so the client must not send it again.
    if (e.writtenId !== undefined) {
      return {
        status: 500,
        body: { error: 'ledger-write-failed', id: e.writtenId, message: e.message },
      };
    }
    return {
      status: 503,
      body: { error: 'ledger-unavailable', message: e.message },
      headers: { 'retry-after': '1' },
    };
  }
  if (e instanceof StoppingError) {
    return {
      status: 503,
      body: { error: 'stopping', message: e.message },
      headers: { 'retry-after': '1', connection: 'close' },
    };
  }
  return { status: 500, body: { error: 'internal', message: 'internal error' } };
}
