/**
 * Validation of the Kafka TLS/SASL settings, apart from kafka-security.ts so that reading a
 * configuration loads no client library. Each problem is one line naming the setting; none
 * ever quotes the password.
 */
import { accessSync, constants, statSync } from 'node:fs';

import type { SaslMechanism } from '../../engine/config.ts';

export { SASL_MECHANISMS, type SaslMechanism } from '../../engine/config.ts';

/** The engine settings this module reads. */
export interface KafkaSecuritySettings {
  kafkaTls: boolean;
  kafkaTlsCa?: string;
  kafkaTlsCert?: string;
  kafkaTlsKey?: string;
  kafkaSaslMechanism?: SaslMechanism;
  kafkaSaslUsername?: string;
  kafkaSaslPassword?: string;
  /** The AWS region MSK IAM signs for. */
  region: string;
}

const PEM_KEYS = ['kafkaTlsCa', 'kafkaTlsCert', 'kafkaTlsKey'] as const;

/** Why a PEM file setting cannot be used, or null when it can be read. */
function fileProblem(key: string, path: string): string | null {
  try {
    if (!statSync(path).isFile()) return `${key}: ${path} is not a file`;
    accessSync(path, constants.R_OK);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `${key}: file ${path} does not exist`;
    return `${key}: cannot read ${path} (${code ?? (e as Error).message})`;
  }
}

/** Every problem of the TLS/SASL settings, one line each; empty when they are usable. */
export function kafkaSecurityProblems(c: KafkaSecuritySettings): string[] {
  const out: string[] = [];
  for (const key of PEM_KEYS) {
    const path = c[key];
    if (path === undefined) continue;
    if (!c.kafkaTls) out.push(`${key}: set only with kafkaTls: true`);
    const problem = fileProblem(key, path);
    if (problem) out.push(problem);
  }
  if ((c.kafkaTlsCert === undefined) !== (c.kafkaTlsKey === undefined)) {
    out.push('kafkaTlsCert and kafkaTlsKey: a client certificate needs both');
  }
  const m = c.kafkaSaslMechanism;
  const credentials = ['kafkaSaslUsername', 'kafkaSaslPassword'] as const;
  if (m === undefined) {
    for (const key of credentials) {
      if (c[key] !== undefined) out.push(`${key}: set only with kafkaSaslMechanism`);
    }
  } else if (m === 'aws-msk-iam') {
    if (!c.kafkaTls) out.push('kafkaSaslMechanism: aws-msk-iam needs kafkaTls: true');
    for (const key of credentials) {
      if (c[key] !== undefined) {
        out.push(`${key}: not used by aws-msk-iam, which signs with the AWS credential chain`);
      }
    }
  } else {
    if (c.kafkaSaslUsername === undefined) {
      out.push(`kafkaSaslUsername: required by kafkaSaslMechanism ${m}`);
    }
    if (c.kafkaSaslPassword === undefined) {
      out.push(
        `kafkaSaslPassword: required by kafkaSaslMechanism ${m} (set HUNT_ENGINE_KAFKA_SASL_PASSWORD)`,
      );
    }
  }
  return out;
}
