/**
 * A throwaway PKI for a TLS listener, made with openssl when asked: a CA, a broker
 * certificate it signed for 127.0.0.1 and localhost, the broker's PEM keystore (key then
 * chain, as Kafka's `ssl.keystore.type=PEM` reads it), and a second CA that signed nothing
 * here, to stand for a client that trusts the wrong authority. Valid for a day.
 */
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

export interface TestPki {
  /** The CA that signed the broker's certificate (PEM file). */
  ca: string;
  /** A CA that did not sign it. */
  strangerCa: string;
  brokerCert: string;
  brokerKey: string;
  /** Private key followed by the certificate chain: Kafka's PEM keystore file. */
  brokerKeystore: string;
  /** A client certificate the CA signed, and its key, for mutual TLS. */
  clientCert: string;
  clientKey: string;
}

const openssl = (args: string[], cwd: string) => execa('openssl', args, { cwd, stdin: 'ignore' });

async function selfSignedCa(dir: string, name: string): Promise<string> {
  await openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
    ],
    dir,
  );
  return join(dir, `${name}.pem`);
}

/** A key and a certificate for `name` signed by the test CA, with the given extensions. */
async function signed(dir: string, name: string, subject: string, ext: string): Promise<void> {
  // OpenSSL 3 writes unencrypted PKCS#8 keys, the form Kafka's PEM keystore takes.
  await openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject].concat([
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    ]),
    dir,
  );
  writeFileSync(join(dir, `${name}.ext`), ext);
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'hunt-test-ca.pem',
      '-CAkey',
      'hunt-test-ca.key',
    ].concat(['-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.pem`]),
    dir,
  );
}

/** Writes the PKI into `dir` (which must exist); a few hundred ms of key generation. */
export async function makeTestPki(dir: string): Promise<TestPki> {
  const [ca, strangerCa] = await Promise.all([
    selfSignedCa(dir, 'hunt-test-ca'),
    selfSignedCa(dir, 'hunt-stranger-ca'),
  ]);
  // One after the other: both bump the CA's serial file.
  await signed(
    dir,
    'broker',
    '/CN=localhost',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  await signed(dir, 'client', '/CN=hunt-client', 'extendedKeyUsage=clientAuth\n');
  const brokerKeystore = join(dir, 'broker-keystore.pem');
  const [key, cert] = await Promise.all([
    readFile(join(dir, 'broker.key'), 'utf8'),
    readFile(join(dir, 'broker.pem'), 'utf8'),
  ]);
  writeFileSync(brokerKeystore, `${key}${cert}`, { mode: 0o600 });
  return {
    ca,
    strangerCa,
    brokerCert: join(dir, 'broker.pem'),
    brokerKey: join(dir, 'broker.key'),
    brokerKeystore,
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client.key'),
  };
}
