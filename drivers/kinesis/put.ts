import {
  type KinesisClient,
  PutRecordsCommand,
  type PutRecordsCommandOutput,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { handleWhenResult, type IBackoff, type IBackoffFactory, retry } from 'cockatiel';
import type { OutRecord } from '../../engine/backend.ts';
import { fullJitter } from '../../engine/consumer/downstream.ts';
import { BrokerError, ThrottledError } from '../../engine/errors.ts';

const PUT_ATTEMPTS = 4;
const MAX_CALL_BYTES = 5 * 1024 * 1024;
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'LimitExceededException',
  'KMSThrottlingException',
]);

/** Backoff bounds between attempts, ms: full jitter below min(maxMs, base * 2^(retry - 1)). */
export interface PutPauses {
  baseMs: number;
  /** Throttling wants a longer pause than an internal failure. */
  throttledBaseMs: number;
  maxMs: number;
}
export const PUT_PAUSES: PutPauses = { baseMs: 25, throttledBaseMs: 100, maxMs: 1000 };

interface Item {
  i: number;
  entry: PutRecordsRequestEntry;
}

/**
 * PutRecords for any number of records, one outcome per record (`undefined` = acked). Records
 * a response refused are retried with backoff and jitter; a record acked once stays acked,
 * so a later failing attempt cannot turn it into an error the client would retry under a
 * new id. A record is acked only by its own response entry with a sequence number, in a
 * response whose entry count and FailedRecordCount agree with what was sent. A call that
 * threw was already retried by the SDK and is not retried again: its records fail. A record
 * that may have been written (a response that did not add up, a call without an answer)
 * fails with `unknownOutcome`, so that the client is not invited to send it again.
 */
export async function putRecords(
  client: KinesisClient,
  stream: string,
  records: OutRecord[],
  pauses: PutPauses = PUT_PAUSES,
  /** Counts each record the stream throttled, once per attempt (the engine's `producer.throttled`). */
  throttled: { records: number } = { records: 0 },
): Promise<(Error | undefined)[]> {
  const outcomes: (Error | undefined)[] = records.map(() => undefined);
  const maybeWritten = records.map(() => false);
  let pending: Item[] = records.map((r, i) => ({
    i,
    entry: { PartitionKey: r.key, Data: r.value },
  }));
  let wasThrottled = false;
  const retries = retry(
    handleWhenResult(() => pending.length > 0),
    {
      // cockatiel counts retries, not attempts.
      maxAttempts: PUT_ATTEMPTS - 1,
      backoff: eitherBackoff(
        () => wasThrottled,
        fullJitter(pauses.throttledBaseMs, pauses.maxMs),
        fullJitter(pauses.baseMs, pauses.maxMs),
      ),
    },
  );
  await retries.execute(async () => {
    const again: Item[] = [];
    wasThrottled = false;
    for (const chunk of chunks(pending)) {
      const answers = await putChunk(client, stream, chunk);
      chunk.forEach((item, j) => {
        const a = answers[j]!;
        outcomes[item.i] = a.error;
        maybeWritten[item.i] ||= a.maybeWritten === true;
        if (a.error instanceof ThrottledError) {
          wasThrottled = true;
          throttled.records++;
        }
        if (a.retry) again.push(item);
      });
    }
    pending = again;
  });
  return outcomes.map((o, i) =>
    o && maybeWritten[i] && !(o instanceof BrokerError && o.unknownOutcome)
      ? new BrokerError(`${o.message} (an earlier attempt may have written it)`, {
          cause: o,
          unknownOutcome: true,
        })
      : o,
  );
}

interface Answer {
  error?: Error;
  retry: boolean;
  /** The broker may have written it although it was not acked. */
  maybeWritten?: boolean;
}

async function putChunk(client: KinesisClient, stream: string, chunk: Item[]): Promise<Answer[]> {
  let r: PutRecordsCommandOutput;
  try {
    r = await client.send(
      new PutRecordsCommand({ StreamName: stream, Records: chunk.map((p) => p.entry) }),
    );
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    const status = err.$metadata?.httpStatusCode;
    // A 4xx (throttling included) refused the call; no answer or a 5xx leaves it open.
    const refused = THROTTLING.has(err.name) || (status !== undefined && status < 500);
    const error = THROTTLING.has(err.name)
      ? new ThrottledError(`PutRecords throttled: ${err.name}`, { cause: e })
      : new BrokerError(`PutRecords failed: ${err.message}`, {
          cause: e,
          unknownOutcome: !refused,
        });
    return chunk.map(() => ({ error, retry: false, maybeWritten: !refused }));
  }
  return readResponse(r, chunk.length);
}

/** Per-entry answers, or a failure of every record when the response does not add up. */
function readResponse(r: PutRecordsCommandOutput, sent: number): Answer[] {
  const entries = r.Records ?? [];
  const failed = entries.filter((e) => e.ErrorCode).length;
  if (entries.length !== sent || r.FailedRecordCount !== failed) {
    // Which entry answers which record is unknowable; none counts as written. A retry
    // repeats the same ids, so a record written after all shows up as a visible duplicate.
    const error = new BrokerError(
      `PutRecords answered ${entries.length} entries (FailedRecordCount ${r.FailedRecordCount}, ${failed} with an error) for ${sent} records`,
    );
    return Array.from({ length: sent }, () => ({ error, retry: true, maybeWritten: true }));
  }
  return entries.map((e) => {
    if (e.ErrorCode) {
      const msg = `${e.ErrorCode}: ${e.ErrorMessage ?? ''}`.trim();
      const error = THROTTLING.has(e.ErrorCode) ? new ThrottledError(msg) : new BrokerError(msg);
      return { error, retry: true };
    }
    if (!e.SequenceNumber) {
      return {
        error: new BrokerError('PutRecords entry without a sequence number'),
        retry: true,
        maybeWritten: true,
      };
    }
    return { retry: false };
  });
}

/**
 * Two backoffs advanced together, each pause taken from the one `pick` chooses when it is
 * due, so that either one's exponent counts every retry.
 */
function eitherBackoff(
  pick: () => boolean,
  yes: IBackoffFactory<unknown>,
  no: IBackoffFactory<unknown>,
): IBackoffFactory<unknown> {
  const step = (y: IBackoff<unknown>, n: IBackoff<unknown>): IBackoff<unknown> => ({
    duration: pick() ? y.duration : n.duration,
    next: (c) => step(y.next(c), n.next(c)),
  });
  return { next: (c) => step(yes.next(c), no.next(c)) };
}

/** PutRecords takes at most 500 records and 5 MiB per call. */
function* chunks(items: Item[]): Generator<Item[]> {
  let cur: Item[] = [];
  let bytes = 0;
  for (const it of items) {
    const size = (it.entry.Data?.length ?? 0) + (it.entry.PartitionKey?.length ?? 0);
    if (cur.length === 500 || (cur.length > 0 && bytes + size > MAX_CALL_BYTES)) {
      yield cur;
      cur = [];
      bytes = 0;
    }
    cur.push(it);
    bytes += size;
  }
  if (cur.length > 0) yield cur;
}
