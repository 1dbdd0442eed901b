import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../domain/config';
import { temporalConnectionOptions } from '../../temporal-client/connection';

// TEMPORAL_TLS_* become the options of every connection to Temporal in one function; a setting
// given by halves, or a file that is not there, stops the process with the variable's name.

let dir: string;
let files: { TEMPORAL_TLS_CA: string; TEMPORAL_TLS_CERT: string; TEMPORAL_TLS_KEY: string };
const pem = (label: string) => `-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'temporal-tls-config-'));
  files = { TEMPORAL_TLS_CA: join(dir, 'ca.pem'), TEMPORAL_TLS_CERT: join(dir, 'cert.pem'), TEMPORAL_TLS_KEY: join(dir, 'key.pem') };
  writeFileSync(files.TEMPORAL_TLS_CA, pem('CERTIFICATE'));
  writeFileSync(files.TEMPORAL_TLS_CERT, pem('CERTIFICATE'));
  writeFileSync(files.TEMPORAL_TLS_KEY, pem('PRIVATE KEY'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const address = { TEMPORAL_ADDRESS: 'temporal:7233' };

test('without TEMPORAL_TLS_* the connection is plaintext to TEMPORAL_ADDRESS', () => {
  expect(temporalConnectionOptions(readConfig(address))).toEqual({ address: 'temporal:7233' });
});

test('with the CA, the certificate and the key every connection uses mutual TLS with exactly those files', () => {
  const options = temporalConnectionOptions(readConfig({ ...address, ...files, TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' }));
  expect(options.address).toBe('temporal:7233');
  expect(Buffer.from(options.tls!.serverRootCACertificate!).toString()).toBe(pem('CERTIFICATE'));
  expect(Buffer.from(options.tls!.clientCertPair!.crt).toString()).toBe(pem('CERTIFICATE'));
  expect(Buffer.from(options.tls!.clientCertPair!.key).toString()).toBe(pem('PRIVATE KEY'));
  expect(options.tls!.serverNameOverride).toBe('temporal.internal');
  expect(temporalConnectionOptions(readConfig({ ...address, ...files })).tls).not.toHaveProperty('serverNameOverride');
});

test('a TLS setting given by halves is refused, naming what is missing', () => {
  expect(() => readConfig({ ...address, TEMPORAL_TLS_CERT: files.TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY: files.TEMPORAL_TLS_KEY })).toThrow(
    /TEMPORAL_TLS_CA: missing: mutual TLS to Temporal needs TEMPORAL_TLS_CA, TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY together/,
  );
  expect(() => readConfig({ ...address, TEMPORAL_TLS_CA: files.TEMPORAL_TLS_CA })).toThrow(/TEMPORAL_TLS_CERT: missing.*TEMPORAL_TLS_KEY: missing/);
  expect(() => readConfig({ ...address, TEMPORAL_TLS_SERVER_NAME: 'temporal' })).toThrow(/TEMPORAL_TLS_SERVER_NAME: applies only with/);
});

test('a file that is missing or is not what its variable says stops the start with the variable and the path', () => {
  expect(() => temporalConnectionOptions(readConfig({ ...address, ...files, TEMPORAL_TLS_KEY: join(dir, 'nowhere.pem') }))).toThrow(
    `TEMPORAL_TLS_KEY=${join(dir, 'nowhere.pem')}: cannot read it (no such file)`,
  );
  // A key where the certificate belongs (an easy slip with cert.pem and key.pem side by side).
  expect(() => temporalConnectionOptions(readConfig({ ...address, ...files, TEMPORAL_TLS_CERT: files.TEMPORAL_TLS_KEY }))).toThrow(
    /TEMPORAL_TLS_CERT=.*key\.pem: not a PEM certificate/,
  );
});

test('without TEMPORAL_ADDRESS there is nothing to connect to, TLS or not', () => {
  expect(() => temporalConnectionOptions(readConfig({ ...files }))).toThrow(/TEMPORAL_ADDRESS is not set/);
});
