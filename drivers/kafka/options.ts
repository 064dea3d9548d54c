import type { BackendOptions } from '../../engine/backend.ts';
import type { KafkaSecurity } from './security.ts';

/** The Kafka backend's options: the common ones, its producer client and its security. */
export interface KafkaBackendOptions extends BackendOptions {
  /** Which client produces (the admin is kafkajs); default kafkajs. */
  kafkaProducer?: 'kafkajs' | 'platformatic';
  /** Which client the engine's consumer group uses; default kafkajs. */
  kafkaConsumer?: 'kafkajs' | 'platformatic';
  /** TLS and SASL for every client (security.ts); absent = plaintext. */
  kafkaSecurity?: KafkaSecurity;
}
