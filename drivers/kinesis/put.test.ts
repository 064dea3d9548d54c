import {
  KinesisClient,
  PutRecordsCommand,
  type PutRecordsCommandOutput,
} from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { CircuitState } from 'cockatiel';
import { afterAll, afterEach, expect, test } from 'vitest';
import { BrokerError, httpOf, ThrottledError } from '../../engine/errors.ts';
import {
  Publisher,
  type PublisherOptions,
  producerBreaker,
} from '../../engine/producer/publisher.ts';
import { expectPauses, pinJitter, unpinJitter } from '../../testkit/pinned-jitter.ts';
import { KinesisBackend } from './backend.ts';
import { PUT_PAUSES, type PutPauses, putRecords } from './put.ts';

// Mocks the class (KinesisBackend makes its own client); unit test files share one module
// cache, so the class is given back when this file is done.
const kinesis = mockClient(KinesisClient);
afterEach(() => {
  kinesis.reset();
  unpinJitter();
});
afterAll(() => kinesis.restore());

const client = new KinesisClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const records = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: Buffer.from(`v${i}`), ts: 0 }));
const noPause: PutPauses = { baseMs: 0, throttledBaseMs: 0, maxMs: 0 };
const ok = (n: number) => ({ ShardId: 'shardId-0', SequenceNumber: String(n) });
const throttled = {
  ErrorCode: 'ProvisionedThroughputExceededException',
  ErrorMessage: 'Rate exceeded',
};
const named = (name: string) => Object.assign(new Error(`${name} happened`), { name });

test('a record acked by an earlier attempt stays acked when the retry throws', async () => {
  kinesis
    .on(PutRecordsCommand)
    .resolvesOnce({ FailedRecordCount: 1, Records: [ok(1), throttled] })
    .rejectsOnce(named('InternalFailure'));
  const out = await putRecords(client, 's', records(2), noPause);
  expect(out[0]).toBeUndefined();
  expect(out[1]).toBeInstanceOf(BrokerError);
  // No answer: it may have been written, and must not read as a refusal.
  expect(out[1]).toMatchObject({ unknownOutcome: true });
  expect(httpOf(out[1]).status).toBe(504);
  const calls = kinesis.commandCalls(PutRecordsCommand);
  expect(calls.map((c) => c.args[0].input.Records?.length)).toEqual([2, 1]);
  expect(calls[1]!.args[0].input.Records?.[0]?.PartitionKey).toBe('k1');
});

const dubious: { name: string; response: PutRecordsCommandOutput | object; acked: number[] }[] = [
  {
    name: 'fewer entries than records',
    response: { FailedRecordCount: 0, Records: [ok(1)] },
    acked: [],
  },
  {
    name: 'more entries than records',
    response: { FailedRecordCount: 0, Records: [ok(1), ok(2), ok(3)] },
    acked: [],
  },
  {
    name: 'a contradicting FailedRecordCount',
    response: { FailedRecordCount: 1, Records: [ok(1), ok(2)] },
    acked: [],
  },
  { name: 'no FailedRecordCount', response: { Records: [ok(1), ok(2)] }, acked: [] },
  {
    name: 'an entry without a sequence number',
    response: { FailedRecordCount: 0, Records: [ok(1), {}] },
    acked: [0],
  },
];

test.each(dubious)('a response with $name acknowledges nothing it cannot vouch for', async (c) => {
  kinesis.on(PutRecordsCommand).resolves(c.response);
  const out = await putRecords(client, 's', records(2), noPause);
  out.forEach((o, i) => {
    if (c.acked.includes(i)) expect(o).toBeUndefined();
    else expect(o).toMatchObject({ name: 'BrokerError', unknownOutcome: true });
  });
  // Unvouched records are retried (same ids), up to the attempt limit.
  expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(4);
});

test('per-record throttling that outlasts the retries ends as ThrottledError', async () => {
  kinesis.on(PutRecordsCommand).resolves({ FailedRecordCount: 1, Records: [throttled] });
  const out = await putRecords(client, 's', records(1), noPause);
  expect(out[0]).toBeInstanceOf(ThrottledError);
  expect(httpOf(out[0]).status).toBe(503);
});

test('a throttled record that an earlier answer left in doubt stays in doubt', async () => {
  kinesis
    .on(PutRecordsCommand)
    .resolvesOnce({ FailedRecordCount: 0, Records: [] })
    .resolves({ FailedRecordCount: 1, Records: [throttled] });
  const out = await putRecords(client, 's', records(1), noPause);
  expect(out[0]).toMatchObject({ unknownOutcome: true });
});

test('a call the service refused (4xx) is a refusal, not a doubt', async () => {
  const notFound = Object.assign(named('ResourceNotFoundException'), {
    $metadata: { httpStatusCode: 400 },
  });
  kinesis.on(PutRecordsCommand).rejects(notFound);
  const out = await putRecords(client, 's', records(1), noPause);
  expect(out[0]).toMatchObject({ name: 'BrokerError', unknownOutcome: false });
  expect(httpOf(out[0]).status).toBe(503);
});

test('a throttled call (the whole call refused) fails its records as ThrottledError', async () => {
  kinesis.on(PutRecordsCommand).rejects(named('ProvisionedThroughputExceededException'));
  const out = await putRecords(client, 's', records(2), noPause);
  expect(out.every((o) => o instanceof ThrottledError)).toBe(true);
});

test('throttling reaches the producer breaker', async () => {
  kinesis.on(PutRecordsCommand).resolves({ FailedRecordCount: 1, Records: [throttled] });
  const backend = new KinesisBackend({
    endpoints: ['http://127.0.0.1:1'],
    clientId: 't',
    requestTimeoutMs: 1000,
    region: 'us-east-1',
    lagPollMs: 1000,
    log: () => {},
  });
  const opts: PublisherOptions = {
    maxQueue: 10,
    maxBatch: 1,
    lingerMs: 0,
    maxInFlight: 1,
    publishTimeoutMs: 5000,
    breakerFailures: 2,
    breakerHalfOpenAfterMs: 10_000,
  };
  const p = new Publisher(await backend.createProducer('s'), producerBreaker(opts), opts);
  for (const r of records(2)) await expect(p.publish(r)).rejects.toBeInstanceOf(ThrottledError);
  // Each record was throttled on each of its 4 attempts; Kinesis names no throttle time.
  expect(p.throttle()).toEqual({ records: 8, ms: null });
  expect(p.breaker.state).toBe(CircuitState.Open);
  await expect(p.publish(records(1)[0]!)).rejects.toMatchObject({ reason: 'breaker-open' });
  await backend.close();
});

test('throttled records are counted per record and attempt, whole refused calls included', async () => {
  kinesis
    .on(PutRecordsCommand)
    .resolvesOnce({ FailedRecordCount: 2, Records: [ok(1), throttled, throttled] })
    .resolvesOnce({ FailedRecordCount: 1, Records: [ok(2), throttled] })
    .resolvesOnce({ FailedRecordCount: 0, Records: [ok(3)] });
  const counted = { records: 0 };
  const out = await putRecords(client, 's', records(3), noPause, counted);
  expect(out).toEqual([undefined, undefined, undefined]);
  expect(counted.records).toBe(3);
  kinesis.reset();
  kinesis.on(PutRecordsCommand).rejects(named('ProvisionedThroughputExceededException'));
  await putRecords(client, 's', records(2), noPause, counted);
  expect(counted.records).toBe(5);
});

test('a call that threw is not retried (the SDK already retried it)', async () => {
  kinesis.on(PutRecordsCommand).rejects(named('InternalFailure'));
  const out = await putRecords(client, 's', records(2), noPause);
  expect(out.every((o) => o instanceof BrokerError)).toBe(true);
  expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(1);
});

const internal = { ErrorCode: 'InternalFailure', ErrorMessage: 'oops' };

test('refused records are retried up to 4 attempts; an acked one is not sent again', async () => {
  kinesis
    .on(PutRecordsCommand)
    .resolvesOnce({ FailedRecordCount: 1, Records: [ok(1), internal] })
    .resolves({ FailedRecordCount: 1, Records: [internal] });
  const out = await putRecords(client, 's', records(2), noPause);
  expect(out[0]).toBeUndefined();
  expect(out[1]).toBeInstanceOf(BrokerError);
  const calls = kinesis.commandCalls(PutRecordsCommand);
  expect(calls.map((c) => c.args[0].input.Records?.length)).toEqual([2, 1, 1, 1]);
});

/** Answers each PutRecords call with the next response (the last one repeats); times them. */
function timedAnswers(responses: PutRecordsCommandOutput[]): number[] {
  const at: number[] = [];
  kinesis.on(PutRecordsCommand).callsFake(async () => {
    at.push(Date.now());
    return responses[Math.min(at.length, responses.length) - 1];
  });
  return at;
}
const refusedWith = (entry: object) =>
  ({ FailedRecordCount: 1, Records: [entry] }) as PutRecordsCommandOutput;

test('pauses: full jitter below 25 ms doubling, 100 ms doubling when throttled', async () => {
  // Internal, throttled, internal: each pause from its own base, the exponent counting all.
  const at = timedAnswers([
    refusedWith(internal),
    refusedWith(throttled),
    refusedWith(internal),
    { FailedRecordCount: 0, Records: [ok(1)] } as PutRecordsCommandOutput,
  ]);
  pinJitter();
  const out = await expectPauses(putRecords(client, 's', records(1)), at, [25, 200, 100]);
  expect(out).toEqual([undefined]);
});

test('pauses are capped at 1 s', async () => {
  const at = timedAnswers([refusedWith(throttled)]);
  pinJitter();
  const pauses = { ...PUT_PAUSES, throttledBaseMs: 400 };
  const out = await expectPauses(putRecords(client, 's', records(1), pauses), at, [400, 800, 1000]);
  expect(out[0]).toBeInstanceOf(ThrottledError);
});
