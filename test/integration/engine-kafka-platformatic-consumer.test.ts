import { engineSuite } from './engine-suite.ts';

// The same suite with the engine's Kafka producer and consumer both on @platformatic/kafka (admin: kafkajs).
engineSuite('kafka', { kafkaProducer: 'platformatic', kafkaConsumer: 'platformatic' });
