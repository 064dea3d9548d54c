import type { RunTargetRecord } from '../contract/schema.ts';

/** One line for the run's log and the report: the real broker a run used. */
export function describeTarget(t: RunTargetRecord): string {
  const kafka = t.backend === 'kafka';
  const where = kafka
    ? `brokers ${t.brokers?.join(',')}`
    : t.kinesisEndpoint
      ? `endpoint ${t.kinesisEndpoint} (${t.region})`
      : `AWS ${t.region}`;
  const sec = kafka ? `, TLS ${t.tls ? 'on' : 'off'}, SASL ${t.saslMechanism ?? 'none'}` : '';
  const user = kafka && t.saslUsername ? ` as ${t.saslUsername}` : '';
  return `real ${t.backend}: ${where}, ${kafka ? 'topic' : 'stream'} ${t.topic} (${t.createTopic ? 'created if missing' : 'existing'})${sec}${user}`;
}
