/**
 * The lying broker: acknowledges a share of the records it is sent without ever writing them.
 * Which records are dropped is exact and deterministic (every record whose running count
 * crosses the next whole multiple of 1/share), and each fabricated sequence number follows the
 * last real one of its shard, so the answer looks like any other.
 */

/** kinesalite's (and AWS's) sequence numbers are 56-digit decimals starting with 49. */
const FIRST = BigInt(`49${'0'.repeat(54)}`);

export class Liar {
  private count = 0;
  private readonly lastSeq = new Map<string, bigint>();

  /** Whether the next record is to be dropped at this share (0..1]. */
  drops(share: number): boolean {
    this.count++;
    return Math.floor(this.count * share) > Math.floor((this.count - 1) * share);
  }

  /** Learns the real sequence numbers upstream handed out, e.g. from PutRecords entries. */
  saw(stream: string, shard: unknown, seq: unknown): void {
    if (typeof shard !== 'string' || typeof seq !== 'string' || !/^\d+$/.test(seq)) return;
    const key = `${stream}/${shard}`;
    const n = BigInt(seq);
    if (n > (this.lastSeq.get(key) ?? 0n)) this.lastSeq.set(key, n);
  }

  /** A PutRecords entry (and PutRecord answer) for a record that was never written. */
  fabricate(stream: string, shard: string): { SequenceNumber: string; ShardId: string } {
    const key = `${stream}/${shard}`;
    const seq = (this.lastSeq.get(key) ?? FIRST) + 1n;
    this.lastSeq.set(key, seq);
    return { SequenceNumber: seq.toString(), ShardId: shard };
  }
}
