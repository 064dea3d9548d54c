import { AuthenticationError, MultipleErrors, NetworkError } from '@platformatic/kafka';
import * as kafkajs from 'kafkajs';
import { expect, test } from 'vitest';
import { describeKafkaConnectFailure } from './connect-failure.ts';

// kafkajs's own classes, as it throws them; its type declarations leave some out.
type ErrorClass = new (message: string | Error, opts?: Record<string, unknown>) => Error;
const {
  KafkaJSConnectionClosedError,
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSSASLAuthenticationError,
} = kafkajs as unknown as Record<
  | 'KafkaJSConnectionClosedError'
  | 'KafkaJSConnectionError'
  | 'KafkaJSNumberOfRetriesExceeded'
  | 'KafkaJSSASLAuthenticationError',
  ErrorClass
>;

/** As kafkajs throws a connect failure after its retries. */
const retried = (e: Error) =>
  new KafkaJSNumberOfRetriesExceeded(e, { retryCount: 2, retryTime: 100 });
const socket = (message: string, code: string) =>
  retried(new KafkaJSConnectionError(`Connection error: ${message}`, { code }));
const ctx = {
  brokers: ['b-1:9096'],
  tls: true,
  clientCert: true,
  mechanism: 'scram-sha-512',
  username: 'hunt',
};

test.each<[string, unknown, RegExp]>([
  [
    'kafkajs: wrong password',
    new KafkaJSSASLAuthenticationError(
      'SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
    ),
    /^Kafka SASL authentication failed at b-1:9096 as user 'hunt' \(scram-sha-512\): wrong kafkaSaslPassword or kafkaSaslUsername/,
  ],
  [
    'platformatic: wrong password, inside its aggregate',
    new MultipleErrors('Cannot connect to any broker.', [
      new AuthenticationError('SASL authentication failed.'),
    ]),
    /^Kafka SASL authentication failed at b-1:9096/,
  ],
  [
    'untrusted certificate',
    socket('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
    /^Kafka at b-1:9096: the broker's TLS certificate is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\): set kafkaTlsCa/,
  ],
  [
    'self-signed certificate',
    socket('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'),
    /not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\): set kafkaTlsCa/,
  ],
  [
    'certificate for another host',
    socket("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID'),
    /does not name the host connected to/,
  ],
  [
    'TLS to a plaintext port',
    socket(
      'Client network socket disconnected before secure TLS connection was established',
      'ECONNRESET',
    ),
    /the TLS handshake failed: the port may be a plaintext listener/,
  ],
  [
    'plaintext to a TLS port',
    retried(new KafkaJSConnectionClosedError('Closed connection', { host: 'b-1', port: 9096 })),
    /closed the connection/,
  ],
  [
    'a listener that requires a client certificate',
    socket(
      'error:0A000412:SSL routines:ssl3_read_bytes:ssl/tls alert bad certificate:SSL alert number 42',
      'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
    ),
    /^Kafka at b-1:9096 refused the client certificate \(TLS alert: bad certificate\): kafkaTlsCert must be signed/,
  ],
  [
    'unreachable (kafkajs)',
    socket('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'),
    /^Kafka at b-1:9096 is unreachable \(ECONNREFUSED\)/,
  ],
  [
    'unreachable (platformatic)',
    new MultipleErrors('Cannot connect to any broker.', [
      new NetworkError('Connection failed.', {
        cause: Object.assign(new Error('getaddrinfo ENOTFOUND b-1'), { code: 'ENOTFOUND' }),
      }),
    ]),
    /is unreachable \(ENOTFOUND\)/,
  ],
  [
    'a broker that accepts but never answers',
    new Error('Broker not connected'),
    /^Kafka at b-1:9096 did not answer in time: check brokers, the network, and kafkaTls/,
  ],
  [
    'a user without permission on the topic',
    Object.assign(new Error('Not authorized to access topics: [Topic authorization failed]'), {
      name: 'KafkaJSProtocolError',
      type: 'TOPIC_AUTHORIZATION_FAILED',
    }),
    /^Kafka at b-1:9096 refused user 'hunt' \(TOPIC_AUTHORIZATION_FAILED: Not authorized to access topics: \[Topic authorization failed\]\): grant it/,
  ],
  ['anything else', new Error('something\nodd'), /^Kafka at b-1:9096 failed: something odd$/],
])('%s: one clear line', (_what, err, line) => {
  const out = describeKafkaConnectFailure(err, ctx);
  expect(out).toMatch(line);
  expect(out).not.toContain('\n');
});

test('plaintext to a TLS port tells to set kafkaTls when TLS was off', () => {
  const closed = retried(
    new KafkaJSConnectionClosedError('Closed connection', { host: 'b', port: 1 }),
  );
  expect(describeKafkaConnectFailure(closed, { tls: false })).toMatch(/set kafkaTls: true/);
  expect(describeKafkaConnectFailure(closed)).toMatch(/^Kafka closed the connection/);
});
