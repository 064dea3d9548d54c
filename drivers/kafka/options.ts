import type { BackendOptions } from '../../engine/backend.ts';
import type { KafkaSecurity } from './security.ts';

/** The Kafka backend's options: the common ones, its producer client and its security. */
export interface KafkaBackendOptions extends BackendOptions {
  /** Which client produces (the consumer and admin are kafkajs); default kafkajs. */
  kafkaProducer?: 'kafkajs' | 'platformatic';
  /** TLS and SASL for every client (security.ts); absent = plaintext. */
  kafkaSecurity?: KafkaSecurity;
}
