/**
 * What a report needs of Kinesis, in a module that imports no AWS SDK: the report reads
 * results only, and loading the SDK for one line of text would cost it more than the line.
 */
import type { RunTargetRecord } from '../../contract/schema.ts';
import type { DriverDescription } from '../types.ts';

export function kinesisTargetDescription(t: RunTargetRecord): string {
  const where = t.kinesisEndpoint
    ? `endpoint ${t.kinesisEndpoint} (${t.region})`
    : `AWS ${t.region}`;
  return `real ${t.backend}: ${where}, stream ${t.topic} (${t.createTopic ? 'created if missing' : 'existing'})`;
}

export const kinesisDescription: DriverDescription = {
  name: 'kinesis',
  // The quota layer's service model measures its own latency and propagation.
  selfChecks: true,
  describeTarget: kinesisTargetDescription,
};
