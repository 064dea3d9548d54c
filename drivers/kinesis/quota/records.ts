/** What a Kinesis record weighs, and AWS's size limits on one PutRecords or PutRecord call. */
import { Refusal, tooLarge } from './answers.ts';
import { CALL_LIMITS } from './limits.ts';

/** A record as the JSON protocol carries it (Data in base64). */
export interface PutEntry {
  Data: string;
  PartitionKey: string;
  ExplicitHashKey?: string;
  SequenceNumber?: string;
}

/** What AWS counts against a shard: the data blob plus the partition key. */
export function sizeOf(r: PutEntry): number {
  return (
    Buffer.byteLength(String(r.Data ?? ''), 'base64') +
    Buffer.byteLength(String(r.PartitionKey ?? ''))
  );
}

/** Each record up to 1 MiB and the whole request up to 5 MiB, partition keys included. */
export function checkSizes(records: PutEntry[]): void {
  let total = 0;
  for (const r of records) {
    if (sizeOf(r) > CALL_LIMITS.recordBytes)
      throw new Refusal(tooLarge('Record size exceeds 1 MB limit (data and partition key).'));
    total += sizeOf(r);
  }
  if (total > CALL_LIMITS.putRecordsBytes)
    throw new Refusal(tooLarge('Records size exceeds 5 MB limit'));
}
