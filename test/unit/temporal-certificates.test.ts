import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDevelopmentCertificates } from '../../scripts/certificates';

// The development set of `npm run temporal-certificates`, read back with Node's own X.509 parser:
// who signed what, for which names and purposes, and that the keys stay private.

const serverAuth = '1.3.6.1.5.5.7.3.1';
const clientAuth = '1.3.6.1.5.5.7.3.2';

let out: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'temporal-certificates-'));
});
afterEach(() => rmSync(out, { recursive: true, force: true }));

const read = (...path: string[]) => readFileSync(join(out, ...path), 'utf8');
const certificate = (...path: string[]) => new X509Certificate(read(...path));

test('one CA signs the frontend certificate for its names and localhost, and a client certificate for the API and the worker', async () => {
  const result = await writeDevelopmentCertificates({ out, serverNames: ['temporal'], clients: ['api', 'worker'], days: 30 });
  expect(result.written).toBe(true);
  expect(Object.keys(result.folders)).toEqual(['temporal', 'api', 'worker']);

  const ca = certificate('ca.pem');
  expect(ca.ca).toBe(true);
  expect(ca.subject).toContain('CN=suggestion-chain development CA');

  const server = certificate('temporal', 'cert.pem');
  expect(server.ca).toBe(false);
  expect(server.checkIssued(ca) && server.verify(ca.publicKey)).toBe(true);
  expect(server.subjectAltName).toBe('DNS:temporal, DNS:localhost, IP Address:127.0.0.1');
  expect(server.checkHost('temporal')).toBe('temporal');
  expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
  // Also a client: Temporal's system worker and internode calls present the server's certificate.
  expect(server.keyUsage).toEqual([serverAuth, clientAuth]);
  expect(server.checkPrivateKey(createPrivateKey(read('temporal', 'key.pem')))).toBe(true);
  expect(new Date(server.validTo).getTime()).toBe(result.notAfter.getTime());
  expect(new Date(server.validTo).getTime() - Date.now()).toBeGreaterThan(29 * 24 * 3600_000);

  for (const name of ['api', 'worker']) {
    const client = certificate(name, 'cert.pem');
    expect([name, client.subject]).toEqual([name, expect.stringContaining(`CN=${name}`)]);
    expect(client.checkIssued(ca) && client.verify(ca.publicKey)).toBe(true);
    expect(client.keyUsage).toEqual([clientAuth]);
    expect(client.checkPrivateKey(createPrivateKey(read(name, 'key.pem')))).toBe(true);
    // Each folder is complete in itself, so a service mounts only its own.
    expect(read(name, 'ca.pem')).toBe(read('ca.pem'));
  }
  for (const name of ['temporal', 'api', 'worker']) expect([name, statSync(join(out, name, 'key.pem')).mode & 0o777]).toEqual([name, 0o600]);
  // Files end with a newline, so `cat old-ca.pem new-ca.pem` is a valid bundle.
  for (const file of ['ca.pem', 'temporal/cert.pem', 'temporal/key.pem', 'api/cert.pem']) expect([file, read(file).at(-1)]).toEqual([file, '\n']);
  // Nothing in the folder can issue another certificate.
  expect(read('ca.pem')).not.toContain('PRIVATE KEY');
  expect(Object.values(result.folders).flatMap((dir) => ['ca.pem', 'cert.pem'].map((f) => readFileSync(join(dir, f), 'utf8')))).not.toContainEqual(
    expect.stringContaining('PRIVATE KEY'),
  );
});

test('a complete set is left alone; a set with a file missing needs --force, which issues a new CA', async () => {
  const options = { out, serverNames: ['temporal'], clients: ['api', 'worker'], days: 30 };
  await writeDevelopmentCertificates(options);
  const first = read('ca.pem');
  expect((await writeDevelopmentCertificates(options)).written).toBe(false);
  expect(read('ca.pem')).toBe(first);

  unlinkSync(join(out, 'worker', 'key.pem'));
  await expect(writeDevelopmentCertificates(options)).rejects.toThrow(/without .*worker\/key\.pem.*--force/);
  await expect(writeDevelopmentCertificates({ ...options, clients: ['api', 'worker', 'setup'] })).rejects.toThrow(/setup\/cert\.pem/);

  expect((await writeDevelopmentCertificates({ ...options, force: true })).written).toBe(true);
  expect(read('ca.pem')).not.toBe(first);
  expect(certificate('worker', 'cert.pem').verify(certificate('ca.pem').publicKey)).toBe(true);
});

test('client names are folder names: plain, and never the server', async () => {
  await expect(writeDevelopmentCertificates({ out, serverNames: [], clients: ['../api'], days: 1 })).rejects.toThrow(/lower-case letters/);
  await expect(writeDevelopmentCertificates({ out, serverNames: [], clients: ['temporal'], days: 1 })).rejects.toThrow(/server's folder/);
});
