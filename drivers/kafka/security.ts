/**
 * TLS and SASL to the Kafka brokers: the engine settings (kafka-security-check.ts) resolved
 * once into `KafkaSecurity`, which every client maps from the same object: kafkajs (producer,
 * consumer, admin, lag monitor, the audit reader) and @platformatic/kafka (the optional
 * producer). MSK IAM is SASL/OAUTHBEARER with a token from AWS's own signer, which signs
 * with the default AWS credential chain for the configured region.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions as PlatformaticSasl } from '@platformatic/kafka';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { EngineConfigError } from '../../engine/errors.ts';
import type { KafkaSecuritySettings, SaslMechanism } from './security-check.ts';

export { describeKafkaConnectFailure } from './connect-failure.ts';
export { type KafkaSecuritySettings, kafkaSecurityProblems } from './security-check.ts';

/** The resolved security: PEM text, not paths, so a client needs no file access. */
export interface KafkaSecurity {
  tls?: { ca?: string; cert?: string; key?: string };
  sasl?:
    | { mechanism: Exclude<SaslMechanism, 'aws-msk-iam'>; username: string; password: string }
    | { mechanism: 'aws-msk-iam'; region: string };
}

function readPem(key: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new EngineConfigError(`${key}: cannot read ${path}: ${(e as Error).message}`);
  }
}

/** The security of validated settings; undefined for plaintext without SASL. */
export function kafkaSecurityOf(c: KafkaSecuritySettings): KafkaSecurity | undefined {
  const s: KafkaSecurity = {};
  if (c.kafkaTls) {
    s.tls = {};
    if (c.kafkaTlsCa) s.tls.ca = readPem('kafkaTlsCa', c.kafkaTlsCa);
    if (c.kafkaTlsCert) s.tls.cert = readPem('kafkaTlsCert', c.kafkaTlsCert);
    if (c.kafkaTlsKey) s.tls.key = readPem('kafkaTlsKey', c.kafkaTlsKey);
  }
  const m = c.kafkaSaslMechanism;
  if (m === 'aws-msk-iam') s.sasl = { mechanism: m, region: c.region };
  else if (m) {
    if (!c.kafkaSaslUsername || !c.kafkaSaslPassword) {
      throw new EngineConfigError(`kafkaSaslUsername and kafkaSaslPassword: required by ${m}`);
    }
    s.sasl = { mechanism: m, username: c.kafkaSaslUsername, password: c.kafkaSaslPassword };
  }
  return s.tls || s.sasl ? s : undefined;
}

/** The secrets a security holds, for redacting free text (engine/secrets.ts). */
export function kafkaSecrets(s: KafkaSecurity | undefined): string[] {
  return s?.sasl && 'password' in s.sasl ? [s.sasl.password] : [];
}

/**
 * An MSK IAM token provider: a presigned `kafka-cluster:Connect` URL, base64url, from the
 * default credential chain (environment, profile, SSO, container or instance role). Each
 * connection authenticates, so a token is kept until a minute before it expires rather than
 * resolving credentials (an instance role: a metadata call) every time. The signer loads
 * lazily: only MSK IAM users pay for the AWS SDK it brings.
 */
export function mskIamTokenProvider(region: string): () => Promise<{ value: string }> {
  let cached: Promise<{ token: string; expiryTime: number }> | undefined;
  return async () => {
    const now = Date.now();
    const current = cached && (await cached.catch(() => undefined));
    if (!current || current.expiryTime - 60_000 <= now) {
      cached = import('aws-msk-iam-sasl-signer-js').then((m) => m.generateAuthToken({ region }));
    }
    return { value: (await cached!).token };
  };
}

/**
 * kafkajs options. kafkajs passes each broker's host as the TLS server name; Node warns when
 * that is an IP address (no SNI for IPs), so brokers named by IP get none.
 */
export function kafkajsSecurity(
  s: KafkaSecurity | undefined,
  brokers: string[],
): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const out: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (s?.tls) {
    const byIp = brokers.every((b) => isIP(b.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')) !== 0);
    out.ssl = { ...s.tls, ...(byIp ? { servername: undefined } : {}) } as ConnectionOptions;
  }
  if (s?.sasl?.mechanism === 'aws-msk-iam') {
    out.sasl = {
      mechanism: 'oauthbearer',
      oauthBearerProvider: mskIamTokenProvider(s.sasl.region),
    };
  } else if (s?.sasl) {
    // A mapped type kafkajs spells per mechanism, so one object literal cannot name them all.
    out.sasl = {
      mechanism: s.sasl.mechanism,
      username: s.sasl.username,
      password: s.sasl.password,
    } as SASLOptions;
  }
  return out;
}

const PLATFORMATIC_MECHANISM = {
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
  plain: 'PLAIN',
} as const;

/** @platformatic/kafka options: the same TLS, SASL mechanism and credentials. */
export function platformaticSecurity(s: KafkaSecurity | undefined): {
  tls?: ConnectionOptions;
  sasl?: PlatformaticSasl;
} {
  const out: { tls?: ConnectionOptions; sasl?: PlatformaticSasl } = {};
  if (s?.tls) out.tls = { ...s.tls };
  if (s?.sasl?.mechanism === 'aws-msk-iam') {
    const token = mskIamTokenProvider(s.sasl.region);
    out.sasl = { mechanism: 'OAUTHBEARER', token: async () => (await token()).value };
  } else if (s?.sasl) {
    out.sasl = {
      mechanism: PLATFORMATIC_MECHANISM[s.sasl.mechanism],
      username: s.sasl.username,
      password: s.sasl.password,
    };
  }
  return out;
}
