import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { readConfig } from '../../domain/config';
import { workflowIdFor } from '../../domain/tracking-number';
import { createCertificateAuthority, issueCertificate, writeDevelopmentCertificates, type Issued } from '../../scripts/certificates';
import { startTemporalServerOnPostgres, type TemporalServerOnPostgres } from '../../scripts/provision/temporal-server-postgres';
import { temporalConnectionOptions, type TemporalConnectionOptions } from '../../temporal-client/connection';
import { registerSearchAttributes } from '../../workflows/register-search-attributes';
import { Department } from '../../workflows/search-attributes';
import { client } from '../support/api-client';
import { eventually, quietTemporalRuntime, startStack } from '../support/stack';

// The trust boundary in front of Temporal: a real Temporal Server (on the test PostgreSQL, as in
// production) whose frontend requires mutual TLS, with the development certificates of
// `npm run temporal-certificates`. The API and the worker get in with theirs; anyone else is
// turned away in the TLS handshake, before a single gRPC call. One server for every case: the
// build is cached under ~/.cache/suggestion-chain (minutes the first time), a start takes seconds.

let dir: string;
let server: TemporalServerOnPostgres;
let folders: Record<string, string>;
let otherCa: { certificate: string; client: Issued };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'temporal-mtls-'));
  ({ folders } = await writeDevelopmentCertificates({ out: join(dir, 'certs'), serverNames: ['temporal'], clients: ['api', 'worker'], days: 1 }));
  const other = await createCertificateAuthority('another CA', 1);
  // The same common name as the real API's: a name is not an identity, the CA's signature is.
  otherCa = { certificate: other.pem, client: await issueCertificate(other, { commonName: 'api', usage: 'client', days: 1 }) };
  const own = folders.temporal;
  server = await startTemporalServerOnPostgres({
    databaseUrl: process.env.DATABASE_URL!,
    dir,
    tls: { certFile: join(own, 'cert.pem'), keyFile: join(own, 'key.pem'), caFile: join(own, 'ca.pem'), serverName: 'temporal' },
    log: (m) => process.stderr.write(`[temporal mtls] ${m}\n`),
  });
  const connection = await Connection.connect(optionsFor('api'));
  try {
    await registerSearchAttributes(connection, 'default');
  } finally {
    await connection.close();
  }
  quietTemporalRuntime();
}, 1_200_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A process's connection options from its environment, as api/main.ts and worker/main.ts make them. */
function optionsFor(name: 'api' | 'worker', env: Record<string, string> = {}): TemporalConnectionOptions {
  return temporalConnectionOptions(
    readConfig({
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TLS_CA: join(folders[name], 'ca.pem'),
      TEMPORAL_TLS_CERT: join(folders[name], 'cert.pem'),
      TEMPORAL_TLS_KEY: join(folders[name], 'key.pem'),
      // Compose dials temporal:7233; here the address is 127.0.0.1, so the name is checked as given.
      TEMPORAL_TLS_SERVER_NAME: 'temporal',
      ...env,
    }),
  );
}

const pem = (name: string, file: string) => readFileSync(join(folders[name], file));
const frontendPort = () => Number(server.address.split(':').at(-1));

/**
 * What the frontend does once a TLS client has sent its handshake: 'accepted' when it goes on to
 * speak HTTP/2 (its SETTINGS frame, type 4), or the alert it ends the handshake with. Under TLS 1.3
 * the client finishes its side before the server has checked the client's certificate, so the
 * answer is what comes next, never the client's own 'secureConnect'.
 */
function handshake(certificate?: { cert: string | Buffer; key: string | Buffer }): Promise<string> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: '127.0.0.1',
      port: frontendPort(),
      servername: 'temporal',
      ca: pem('api', 'ca.pem'),
      ALPNProtocols: ['h2'],
      ...certificate,
    });
    const done = (outcome: string) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.once('data', (bytes: Buffer) => done(bytes[3] === 0x04 ? 'accepted' : `unexpected bytes ${bytes.subarray(0, 9).toString('hex')}`));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    socket.once('close', () => done('closed'));
  });
}

/** One call through the SDK's client (grpc-js), without retries, so the refusal is the first answer. */
async function clientCall(tls: TemporalConnectionOptions['tls']): Promise<unknown> {
  const connection = Connection.lazy({ address: server.address, tls, interceptors: [] });
  try {
    return await connection.workflowService.getSystemInfo({});
  } finally {
    await connection.close();
  }
}

/** A connection as the worker opens one (the SDK's Rust core, rustls), which calls the server at once. */
async function workerConnection(tls: TemporalConnectionOptions['tls']): Promise<void> {
  const connection = await NativeConnection.connect({ address: server.address, tls });
  await connection.close();
}

const trustingTheFrontend = () => ({ serverRootCACertificate: pem('api', 'ca.pem'), serverNameOverride: 'temporal' });

test('the API and the worker with their client certificates connect, and a suggestion submitted through the API reaches its department', async () => {
  expect(await handshake({ cert: pem('api', 'cert.pem'), key: pem('api', 'key.pem') })).toBe('accepted');

  const stack = await startStack({ temporal: { api: optionsFor('api'), worker: optionsFor('worker') } });
  try {
    const call = client(stack.baseUrl);
    const submitted = await call('POST', '/v1/suggestions', {
      title: 'Move the bus stop on Guoding Road',
      content: 'The stop sits right after the crossing, so buses block the junction.',
      category: 'transport',
      district: 'yangpu',
      publishConsent: true,
    });
    expect(submitted.status).toBe(202);
    const id: string = submitted.body.id;
    const row = await eventually(async () => {
      const r = await stack.db.suggestion.findUnique({ where: { id } });
      return r?.status === 'handling' ? r : undefined;
    }, `suggestion ${id} to reach its department`);
    expect(row.leadDepartment).toBe('transport');
    // The workflow lives on the mTLS server. Its Department is set at start when the routing
    // forecast is loaded, otherwise by the workflow once routed, which may come after the read model.
    const handle = stack.temporal.workflow.getHandle(workflowIdFor(id));
    const described = await eventually(async () => {
      const d = await handle.describe();
      return d.typedSearchAttributes.get(Department) ? d : undefined;
    }, `the Department of ${id} in Temporal`);
    expect(described.typedSearchAttributes.get(Department)).toBe('transport');
    expect(described.taskQueue).toBe(stack.taskQueue);
  } finally {
    await stack.stop();
  }
});

test('a client without a certificate is refused in the TLS handshake', async () => {
  expect(await handshake()).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
  await expect(clientCall(trustingTheFrontend())).rejects.toMatchObject({ code: 14, message: expect.stringContaining('alert certificate required') });
  await expect(workerConnection(trustingTheFrontend())).rejects.toMatchObject({ name: 'TransportError' });
});

test('a client with a certificate from another CA is refused in the TLS handshake, whatever name it carries', async () => {
  expect(await handshake({ cert: otherCa.client.certificate, key: otherCa.client.privateKey })).toBe('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA');
  const foreign = { ...trustingTheFrontend(), clientCertPair: { crt: Buffer.from(otherCa.client.certificate), key: Buffer.from(otherCa.client.privateKey) } };
  await expect(clientCall(foreign)).rejects.toMatchObject({ code: 14 });
  await expect(workerConnection(foreign)).rejects.toMatchObject({ name: 'TransportError' });
});

test('plaintext is refused, on the gRPC port and on the HTTP API', async () => {
  // An HTTP/2 client without TLS (the preface and an empty SETTINGS frame): closed, not a byte back.
  const answer = await new Promise<Buffer>((resolve, reject) => {
    const received: Buffer[] = [];
    const socket = netConnect(frontendPort(), '127.0.0.1', () =>
      socket.write(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])])),
    );
    socket.on('data', (bytes: Buffer) => received.push(bytes));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(received)));
  });
  expect(answer.length).toBe(0);
  await expect(clientCall(undefined)).rejects.toMatchObject({ code: 14 });
  await expect(workerConnection(undefined)).rejects.toMatchObject({ name: 'TransportError' });

  const http = await fetch(`http://${server.httpAddress}/api/v1/namespaces`);
  expect([http.status, await http.text()]).toEqual([400, expect.stringContaining('HTTP request to an HTTPS server')]);
});

test('a TEMPORAL_TLS_CA bundle of two CAs works, as during a CA rotation; trusting only another CA, a client refuses the frontend', async () => {
  const otherOnly = join(dir, 'other-ca.pem');
  writeFileSync(otherOnly, otherCa.certificate);
  // `cat other-ca.pem ca.pem > rotation-bundle.pem`
  const bundle = join(dir, 'rotation-bundle.pem');
  writeFileSync(bundle, Buffer.concat([readFileSync(otherOnly), pem('api', 'ca.pem')]));
  await expect(clientCall(optionsFor('api', { TEMPORAL_TLS_CA: bundle }).tls)).resolves.toHaveProperty('serverVersion');
  await expect(workerConnection(optionsFor('worker', { TEMPORAL_TLS_CA: bundle }).tls)).resolves.toBeUndefined();

  await expect(clientCall(optionsFor('api', { TEMPORAL_TLS_CA: otherOnly }).tls)).rejects.toMatchObject({ code: 14 });
  await expect(workerConnection(optionsFor('worker', { TEMPORAL_TLS_CA: otherOnly }).tls)).rejects.toMatchObject({ name: 'TransportError' });
});
