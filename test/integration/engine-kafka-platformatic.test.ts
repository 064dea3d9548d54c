import { engineSuite } from './engine-suite.ts';

// The same suite with the Kafka producer on @platformatic/kafka (consumer and admin: kafkajs).
engineSuite('kafka', { kafkaProducer: 'platformatic' });
