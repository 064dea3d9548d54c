/**
 * The quota layer's answers as AWS words them: a 400 with `__type` (the exception the AWS SDK
 * maps it to) and `message`, or a PutRecords entry's ErrorCode and ErrorMessage.
 */

export interface Answer {
  status: number;
  json: unknown;
}

type Json = Record<string, unknown>;

export const THROTTLED = 'ProvisionedThroughputExceededException';
const ACCOUNT = '000000000000';

/** Refuses the call with this answer (thrown from deep in the layer, answered by `handle`). */
export class Refusal extends Error {
  override name = 'Refusal';
  constructor(readonly answer: Answer) {
    super(String((answer.json as { __type?: string }).__type));
  }
}

export function clientError(type: string, message: string): Answer {
  return { status: 400, json: { __type: type, message } };
}

function rateMessage(stream: string, shard: string): string {
  return `Rate exceeded for shard ${shard} in stream ${stream} under account ${ACCOUNT}.`;
}

export function throttledEntry(stream: string, shard: string): Json {
  return { ErrorCode: THROTTLED, ErrorMessage: rateMessage(stream, shard) };
}

export function throttledAnswer(stream: string, shard: string): Answer {
  return clientError(THROTTLED, rateMessage(stream, shard));
}

/** A control-plane call over its transactions-a-second limit. */
export function controlRefused(op: string, stream: string | undefined): Answer {
  const where = stream ? ` for stream ${stream}` : '';
  return clientError(
    'LimitExceededException',
    `Rate exceeded for ${op}${where} under account ${ACCOUNT}.`,
  );
}

export function tooLarge(what: string): Answer {
  return clientError('InvalidArgumentException', what);
}

/** An iterator this layer never handed out: the client gets a fresh one, as after expiry. */
export function unknownIterator(): Answer {
  return clientError(
    'ExpiredIteratorException',
    'Iterator expired or unknown: get a new one with GetShardIterator.',
  );
}

export function noShard(stream: string, key: bigint): Answer {
  return clientError(
    'InvalidArgumentException',
    `Hash key ${key} is in no open shard of stream ${stream} under account ${ACCOUNT}.`,
  );
}
