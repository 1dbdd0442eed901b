import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configVariables, readConfig } from '../../domain/config';
import { workerNodeArgs } from '../../worker/heap';

// Docker cannot run on the build machines, so the compose file is checked statically: it
// parses, every image is pinned, and the app services get exactly the settings the app reads.

const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true });

test('the compose file has the production topology', () => {
  expect(Object.keys(compose.services).sort()).toEqual([
    'api',
    'object-store',
    'postgres',
    'setup',
    'temporal',
    'temporal-certificates',
    'temporal-ui',
    'worker',
  ]);
  expect(compose.services.api.deploy.replicas).toBeGreaterThan(1);
  expect(compose.services.worker.deploy.replicas).toBeGreaterThan(1);
});

test('every image is pinned to a version', () => {
  for (const [name, service] of Object.entries<{ image: string }>(compose.services)) {
    expect([name, service.image]).toEqual([name, expect.stringMatching(/^[\w./-]+:\d[\w.-]*$/)]);
  }
});

test('the app services set only variables the app reads, including the required ones', () => {
  for (const name of ['api', 'worker', 'setup']) {
    const env = Object.keys(compose.services[name].environment);
    expect(configVariables).toEqual(expect.arrayContaining(env));
    expect(env).toEqual(expect.arrayContaining(['DATABASE_URL', 'TEMPORAL_ADDRESS']));
  }
});

test('the app services run entry points that exist', () => {
  for (const name of ['api', 'worker', 'setup']) {
    const script = compose.services[name].command.at(-1);
    expect(() => readFileSync(join(root, script))).not.toThrow();
  }
});

test('the worker starts with its heap bounded for the workflow cache it keeps (worker/heap.ts)', () => {
  const cache = Number(compose.services.worker.environment.WORKER_MAX_CACHED_WORKFLOWS ?? readConfig({}).WORKER_MAX_CACHED_WORKFLOWS);
  expect(compose.services.worker.command).toEqual(['node', ...workerNodeArgs(cache), '--import', 'tsx', 'worker/main.ts']);
});

test('the API and the worker get the encryption keys, the one-shot setup does not', () => {
  for (const name of ['api', 'worker'])
    expect([name, Object.keys(compose.services[name].environment)]).toEqual([name, expect.arrayContaining(['ENCRYPTION_KEYS'])]);
  expect(Object.keys(compose.services.setup.environment)).not.toContain('ENCRYPTION_KEYS');
  expect(compose.services['temporal-ui'].environment.TEMPORAL_CODEC_ENDPOINT).toMatch(/\/codec$/);
});

// Trust boundaries: Temporal's frontend, its Web UI and PostgreSQL are reachable from the internal
// network only, and the frontend takes mutual TLS alone (test/integration/temporal-mtls.test.ts
// proves such a frontend refuses everything else).

type Mount = { type: string; source: string; target: string; read_only?: boolean; volume?: { subpath?: string } };
const services = compose.services as Record<
  string,
  { ports?: unknown[]; network_mode?: string; networks?: string[]; environment: Record<string, string>; volumes?: Mount[] }
>;

/** Where a service gets its folder of the certificates volume, and which folder. */
function certificateMount(name: string): Mount {
  const mounts = (services[name].volumes ?? []).filter((m) => typeof m === 'object' && m.source === 'temporal-tls');
  expect([name, mounts]).toEqual([name, [expect.objectContaining({ type: 'volume', read_only: true, volume: { subpath: expect.any(String) } })]]);
  return mounts[0];
}

test('no service but the API publishes a port', () => {
  const publishing = Object.entries(services)
    .filter(([, service]) => (service.ports ?? []).length > 0 || service.network_mode === 'host')
    .map(([name]) => name);
  expect(publishing).toEqual(['api']);
});

test('PostgreSQL, Temporal and its Web UI, and the object store are on the internal network only', () => {
  expect(compose.networks.backend.internal).toBe(true);
  for (const name of ['postgres', 'temporal', 'temporal-ui', 'object-store', 'setup']) expect([name, services[name].networks]).toEqual([name, ['backend']]);
  expect(services['temporal-certificates'].network_mode).toBe('none');
});

test("Temporal's frontend requires mutual TLS with its mounted certificate, and internode calls use TLS too", () => {
  const env = services.temporal.environment;
  const dir = certificateMount('temporal').target;
  expect(certificateMount('temporal').volume?.subpath).toBe('temporal');
  expect(env.TEMPORAL_TLS_REQUIRE_CLIENT_AUTH).toBe('true');
  for (const key of [
    'TEMPORAL_TLS_FRONTEND_CERT',
    'TEMPORAL_TLS_FRONTEND_KEY',
    'TEMPORAL_TLS_CLIENT1_CA_CERT',
    'TEMPORAL_TLS_CLIENT2_CA_CERT',
    'TEMPORAL_TLS_SERVER_CERT',
    'TEMPORAL_TLS_SERVER_KEY',
    'TEMPORAL_TLS_SERVER_CA_CERT',
  ]) {
    expect([key, env[key]]).toEqual([key, expect.stringMatching(new RegExp(`^${dir}/(cert|key|ca)\\.pem$`))]);
  }
  // Host names are checked, never skipped.
  expect(env.TEMPORAL_TLS_FRONTEND_DISABLE_HOST_VERIFICATION ?? 'false').toBe('false');
  expect(env.TEMPORAL_TLS_INTERNODE_DISABLE_HOST_VERIFICATION ?? 'false').toBe('false');
});

test('the API, the worker and the setup set every TEMPORAL_TLS_* variable, to certificates of their own', () => {
  const tlsVariables = configVariables.filter((name) => name.startsWith('TEMPORAL_TLS_'));
  expect(tlsVariables).toEqual(['TEMPORAL_TLS_CA', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_SERVER_NAME']);
  for (const name of ['api', 'worker', 'setup']) {
    const env = services[name].environment;
    expect([name, Object.keys(env)]).toEqual([name, expect.arrayContaining(tlsVariables)]);
    const mount = certificateMount(name);
    expect([name, mount.volume?.subpath]).toEqual([name, name]);
    for (const key of ['TEMPORAL_TLS_CA', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY'])
      expect([name, env[key]]).toEqual([name, expect.stringMatching(new RegExp(`^${mount.target}/`))]);
    // A complete setting by the app's own rules (readConfig refuses one by halves).
    expect(() => readConfig(env)).not.toThrow();
  }
  expect(services['temporal-ui'].environment).toMatchObject({ TEMPORAL_TLS_ENABLE_HOST_VERIFICATION: 'true', TEMPORAL_TLS_SERVER_NAME: 'temporal' });
  for (const key of ['TEMPORAL_TLS_CA', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY'])
    expect(services['temporal-ui'].environment[key]).toMatch(new RegExp(`^${certificateMount('temporal-ui').target}/`));
});

test('the one-shot issues a certificate for every folder a service mounts, with the script that exists', () => {
  const script = (compose.services['temporal-certificates'].entrypoint as string[]).join(' ');
  expect(() => readFileSync(join(root, 'scripts/temporal-certificates.ts'))).not.toThrow();
  expect(script).toContain('scripts/temporal-certificates.ts --out /certs --server-name temporal');
  const folders = Object.keys(services)
    .filter((name) => (services[name].volumes ?? []).some((m) => typeof m === 'object' && m.source === 'temporal-tls' && m.volume?.subpath))
    .map((name) => certificateMount(name).volume!.subpath!);
  expect(folders.sort()).toEqual(['api', 'setup', 'temporal', 'temporal-ui', 'worker']);
  for (const folder of folders.filter((f) => f !== 'temporal')) expect(script).toContain(`--client ${folder}`);
});

test('the API keeps attachments in the object store on the private network, with the keys the store knows; the worker has none', () => {
  const store = compose.services['object-store'] as { command: string[]; environment: Record<string, string> };
  const s3Port = store.command.find((arg) => arg.startsWith('-s3.port='))!.split('=')[1];
  for (const name of ['api', 'setup']) {
    const env = services[name].environment;
    expect([name, env.S3_ENDPOINT]).toEqual([name, `http://object-store:${s3Port}`]);
    expect([name, env.S3_BUCKET, env.S3_FORCE_PATH_STYLE]).toEqual([name, expect.any(String), 'true']);
    // The same variables the store's identity is made from, so the API signs with keys the store accepts.
    expect([name, env.S3_ACCESS_KEY_ID, env.S3_SECRET_ACCESS_KEY]).toEqual([
      name,
      expect.stringMatching(/^\$\{S3_ACCESS_KEY_ID:\?/),
      expect.stringMatching(/^\$\{S3_SECRET_ACCESS_KEY:\?/),
    ]);
    expect(() => readConfig(env)).not.toThrow();
  }
  expect(store.environment).toEqual({
    AWS_ACCESS_KEY_ID: services.api.environment.S3_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: services.api.environment.S3_SECRET_ACCESS_KEY,
  });
  expect(Object.keys(services.worker.environment).filter((n) => n.startsWith('S3_'))).toEqual([]);
  expect(services['object-store'].volumes as unknown as string[]).toEqual([expect.stringMatching(/^object-store-data:\/data$/)]);
});
