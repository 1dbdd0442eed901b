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
  expect(Object.keys(compose.services).sort()).toEqual(['api', 'postgres', 'setup', 'temporal', 'temporal-ui', 'worker']);
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
  for (const name of ['api', 'worker']) expect([name, Object.keys(compose.services[name].environment)]).toEqual([name, expect.arrayContaining(['ENCRYPTION_KEYS'])]);
  expect(Object.keys(compose.services.setup.environment)).not.toContain('ENCRYPTION_KEYS');
  expect(compose.services['temporal-ui'].environment.TEMPORAL_CODEC_ENDPOINT).toMatch(/\/codec$/);
});
