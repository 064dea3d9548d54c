/**
 * One line for why a Kafka client could not connect, in the user's terms (which setting to
 * fix), from whatever kafkajs or @platformatic/kafka threw: both wrap the socket's or the
 * broker's error (`cause`, `originalError`, an AggregateError's `errors`).
 */

interface Found {
  names: string[];
  codes: string[];
  messages: string[];
}

/** Every error in the chain under `err`, breadth first, each once. */
function walk(err: unknown): Found {
  const found: Found = { names: [], codes: [], messages: [] };
  const seen = new Set<unknown>();
  const queue = [err];
  while (queue.length > 0 && seen.size < 50) {
    const e = queue.shift();
    if (e === null || e === undefined || seen.has(e)) continue;
    seen.add(e);
    if (typeof e !== 'object') {
      found.messages.push(String(e));
      continue;
    }
    const o = e as Record<string, unknown>;
    if (typeof o.name === 'string') found.names.push(o.name);
    if (typeof o.code === 'string') found.codes.push(o.code);
    if (typeof o.type === 'string') found.codes.push(o.type);
    if (typeof o.message === 'string' && o.message) found.messages.push(o.message);
    queue.push(o.cause, o.originalError);
    if (Array.isArray(o.errors)) queue.push(...o.errors);
  }
  return found;
}

/** Node's codes for a certificate chain that does not lead to a trusted CA. */
const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

export interface ConnectContext {
  brokers?: string[];
  tls?: boolean;
  /** Whether a client certificate was offered (kafkaTlsCert). */
  clientCert?: boolean;
  mechanism?: string;
  username?: string;
}

/**
 * ONE line: wrong credentials, an untrusted or mismatched certificate, TLS against a
 * plaintext listener or the reverse, unreachable or silent brokers, missing permissions;
 * else the client's own message.
 */
export function describeKafkaConnectFailure(err: unknown, ctx: ConnectContext = {}): string {
  const { names, codes, messages } = walk(err);
  const text = messages.join(' | ');
  const at = ctx.brokers?.length ? ` at ${ctx.brokers.join(',')}` : '';
  const has = (re: RegExp) => re.test(text);
  const code = (set: Set<string>) => codes.find((c) => set.has(c));

  if (
    names.includes('KafkaJSSASLAuthenticationError') ||
    codes.includes('PLT_KFK_AUTHENTICATION') ||
    has(/SASL_AUTHENTICATION_FAILED|authentication failed|invalid credentials/i)
  ) {
    if (has(/UNSUPPORTED_SASL_MECHANISM|mechanism .*not (enabled|supported)/i)) {
      return `Kafka${at} does not accept SASL mechanism ${ctx.mechanism ?? '(none)'}: set kafkaSaslMechanism to one its listener enables`;
    }
    const who = ctx.username ? ` as user '${ctx.username}'` : '';
    const how = ctx.mechanism ? ` (${ctx.mechanism})` : '';
    return `Kafka SASL authentication failed${at}${who}${how}: wrong kafkaSaslPassword or kafkaSaslUsername, or the user does not exist on the cluster`;
  }
  if (has(/UNSUPPORTED_SASL_MECHANISM/)) {
    return `Kafka${at} does not accept SASL mechanism ${ctx.mechanism ?? '(none)'}: set kafkaSaslMechanism to one its listener enables`;
  }
  const untrusted = code(UNTRUSTED);
  if (untrusted) {
    return `Kafka${at}: the broker's TLS certificate is not trusted (${untrusted}): set kafkaTlsCa to the PEM file of the CA that signed it`;
  }
  if (codes.includes('CERT_HAS_EXPIRED') || codes.includes('CERT_NOT_YET_VALID')) {
    return `Kafka${at}: the broker's TLS certificate is outside its validity period (${codes.find((c) => c.startsWith('CERT_'))})`;
  }
  if (codes.includes('ERR_TLS_CERT_ALTNAME_INVALID')) {
    return `Kafka${at}: the broker's TLS certificate does not name the host connected to: use the broker names the certificate was issued for in brokers`;
  }
  const alert = /alert (bad certificate|certificate required|unknown ca|certificate unknown)/i.exec(
    text,
  );
  if (alert) {
    return ctx.clientCert
      ? `Kafka${at} refused the client certificate (TLS alert: ${alert[1]}): kafkaTlsCert must be signed by a CA the broker trusts`
      : `Kafka${at} requires a client certificate (TLS alert: ${alert[1]}): set kafkaTlsCert and kafkaTlsKey`;
  }
  if (
    has(
      /before secure TLS connection was established|wrong version number|packet length too long/i,
    ) ||
    codes.some((c) => c.startsWith('ERR_SSL_'))
  ) {
    return `Kafka${at}: the TLS handshake failed: the port may be a plaintext listener (set kafkaTls: false, or use the broker's TLS port)`;
  }
  const unreachable = code(UNREACHABLE);
  if (unreachable) {
    return `Kafka${at} is unreachable (${unreachable}): check brokers and that the cluster is up and reachable from here`;
  }
  if (
    names.includes('KafkaJSConnectionClosedError') ||
    has(/closed connection|connection closed/i)
  ) {
    return ctx.tls
      ? `Kafka${at} closed the connection: check that the port is the listener for this security (TLS ${ctx.mechanism ? `with SASL ${ctx.mechanism}` : 'without SASL'})`
      : `Kafka${at} closed the connection before answering: if its listener uses TLS (SSL or SASL_SSL) set kafkaTls: true, and SASL settings if it requires them`;
  }
  if (has(/timeout|timed out|Broker not connected/i)) {
    return `Kafka${at} did not answer in time: check brokers, the network, and kafkaTls (a TLS port waits for a handshake that a plaintext client never starts)`;
  }
  const first = (messages[0] ?? String(err)).replace(/\s+/g, ' ');
  const denied = codes.find((c) => c.endsWith('_AUTHORIZATION_FAILED'));
  if (denied) {
    const who = ctx.username ? `user '${ctx.username}'` : 'this client';
    return `Kafka${at} refused ${who} (${denied}: ${first}): grant it the topics and the consumer group (ACLs, or IAM permissions on MSK)`;
  }
  return `Kafka${at} failed: ${first}`;
}
