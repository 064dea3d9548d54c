/**
 * What a report needs of Kafka, in a module that imports no Kafka client: the report reads
 * results only, and loading kafkajs for one line of text would cost it more than the line.
 */
import type { RunTargetRecord } from '../../contract/schema.ts';
import type { DriverDescription } from '../types.ts';

export function kafkaTargetDescription(t: RunTargetRecord): string {
  const user = t.saslUsername ? ` as ${t.saslUsername}` : '';
  return `real ${t.backend}: brokers ${t.brokers?.join(',')}, topic ${t.topic} (${t.createTopic ? 'created if missing' : 'existing'}), TLS ${t.tls ? 'on' : 'off'}, SASL ${t.saslMechanism ?? 'none'}${user}`;
}

export const kafkaDescription: DriverDescription = {
  name: 'kafka',
  selfChecks: false,
  describeTarget: kafkaTargetDescription,
};
