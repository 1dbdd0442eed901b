import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { readConfig } from '../domain/config';
import { connectDatabase } from '../prisma/client';
import { temporalConnectionOptions } from '../temporal-client/connection';
import { prepareDatabase } from '../prisma/prepare';
import { workerNodeArgs } from '../worker/heap';
import { registerSearchAttributes } from '../workflows/register-search-attributes';
import { ensureDevEncryptionKeys } from './dev-encryption-keys';
import { seedDemonstrationCampaigns } from './demonstration-campaigns';
import { ensureDevKeys } from './dev-keys';
import { ensureDevIdentitySettings } from './dev-identity/settings';
import { ensureDevUsers } from './dev-identity/users';
import { loadProfileFile } from '../profiles';
import { startEmbeddedPostgres } from './provision/postgres';
import { ensureTemporalCli } from './provision/temporal-cli';
import { startTemporalDevServer } from './provision/temporal-dev-server';
import { ensureTemporalUiServer, startTemporalUiServer } from './provision/temporal-ui-server';
import { assertPortFree, freePort } from './provision/ports';
import { startObjectStore } from './provision/object-store';
import { objectStoreConfigFrom, prepareBucket } from '../storage/object-store';

// `npm start`: the whole stack on one machine. Embedded PostgreSQL, the Temporal dev server and
// SeaweedFS for the attachments unless DATABASE_URL / TEMPORAL_ADDRESS / S3_BUCKET point elsewhere;
// then migrations, reference data, the worker and the API as child processes, shaped like the
// production deployment.

const log = (m: string) => console.log(`[stack] ${m}`);

async function main() {
  const config = readConfig(process.env);
  const dataDir = resolve(config.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const stoppers: (() => Promise<void>)[] = [];

  // SeaweedFS starts beside PostgreSQL: each takes seconds, neither needs the other.
  const embeddedObjects = config.S3_BUCKET ? undefined : startObjectStore({ dataDir: join(dataDir, 'object-store'), port: config.OBJECT_STORE_PORT, log });
  const postgres = config.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: config.POSTGRES_PORT, log });
  if (postgres) stoppers.push(postgres.stop);
  const objectStore = await embeddedObjects;
  if (objectStore) stoppers.push(objectStore.stop);
  const databaseUrl = config.DATABASE_URL ?? postgres!.databaseUrl;

  // One address for the API, the workbench and the codec endpoint the UI calls: the workbench's
  // session cookie is sent only to the host it was set for, and only from pages of the same site.
  const workbenchUrl = (process.env.WORKBENCH_URL ?? `http://127.0.0.1:${config.PORT}`).replace(/\/$/, '');
  let uiUrl: string | undefined;
  let temporalAddress = config.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    // TEMPORAL_TLS_* are for a frontend of the city's; the dev server speaks only plaintext on loopback.
    if (config.TEMPORAL_TLS_CA)
      throw new Error(
        'TEMPORAL_TLS_* are set but TEMPORAL_ADDRESS is not: the dev server npm start runs has no TLS; set TEMPORAL_ADDRESS to the frontend they are for, or unset them',
      );
    await ensureTemporalCli(log);
    // The UI asks the API's codec endpoint to show payloads in clear, with the browser's cookies;
    // it refuses anyone but staff signed in (the UI server of its own: temporal-ui-server.ts says why).
    const uiCodecEndpoint = `${workbenchUrl}/codec`;
    const uiPort = config.TEMPORAL_UI_PORT ?? config.TEMPORAL_PORT + 1000;
    const ui = await ensureTemporalUiServerOrSay();
    const temporal = await startTemporalDevServer({
      dbFilename: join(dataDir, 'temporal.db'),
      port: config.TEMPORAL_PORT,
      ...(ui ? { headless: true } : { uiPort, uiCodecEndpoint }),
      log,
    });
    stoppers.unshift(temporal.stop);
    temporalAddress = temporal.address;
    uiUrl = temporal.uiUrl;
    if (ui) {
      const server = await startTemporalUiServer({
        temporalAddress,
        port: uiPort,
        codecEndpoint: uiCodecEndpoint,
        codecErrorMessage: '工作人员请先登录工作台以查看明文 · Staff: sign in to the workbench to see payloads in clear',
        codecErrorLink: `${workbenchUrl}/staff/sign-in`,
        log,
      });
      stoppers.unshift(server.stop);
      uiUrl = server.url;
    }
  }

  const temporalOptions = temporalConnectionOptions({ ...config, TEMPORAL_ADDRESS: temporalAddress });
  const connection = await Connection.connect(temporalOptions);
  await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  await connection.close();
  await prepareDatabase(databaseUrl, log);
  const db = connectDatabase(databaseUrl, 2);
  const keys = await ensureDevKeys(db, dataDir, log);
  await db.$disconnect();
  const identity = process.env.OIDC_ISSUER ? undefined : developmentIdentity(dataDir, config.PORT, workbenchUrl);
  const encryptionKeys = config.ENCRYPTION_KEYS ?? ensureDevEncryptionKeys(dataDir);
  // The demonstrations are a convenience: whatever goes wrong with them, the stack starts.
  await seedDemonstrationCampaigns({
    databaseUrl,
    temporal: temporalOptions,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    encryptionKeys,
    encryptionKeyId: config.ENCRYPTION_KEY_ID,
    log,
  }).catch((err: unknown) => log(`skipped the demonstration campaigns: ${err instanceof Error ? err.message : String(err)}; the stack starts without them`));

  const objectsEnv = objectStore ? objectStore.env(developmentBucket) : {};
  const objects = objectStoreConfigFrom({ ...process.env, ...objectsEnv })!;
  // The embedded store's bucket is made on the first start; a store of S3_* is the operator's.
  if (objectStore) await prepareBucket(objects);

  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    PORT: String(config.PORT),
    ENCRYPTION_KEYS: encryptionKeys,
    CODEC_CORS_ORIGINS: config.CODEC_CORS_ORIGINS ?? (uiUrl ? uiOrigins(uiUrl).join(',') : ''),
    WORKER_METRICS_ADDRESS: config.WORKER_METRICS_ADDRESS ?? (await workerMetricsAddress()),
    WORKBENCH_URL: workbenchUrl,
    ...identity?.apiEnv,
  };
  const children = [
    ...(identity ? [run('identity', 'scripts/dev-identity-provider.ts', { ...env, ...identity.providerEnv })] : []),
    run('worker', 'worker/main.ts', env, workerNodeArgs(config.WORKER_MAX_CACHED_WORKFLOWS)),
    // The store's keys go to the API alone: only it reads and writes the files.
    run('api', 'api/main.ts', { ...env, ...objectsEnv }),
  ];

  console.log(`
suggestion-chain is running
  API          http://localhost:${config.PORT}
  API document http://localhost:${config.PORT}/openapi.json
  Temporal UI  ${uiUrl ?? '(using the Temporal server at ' + temporalAddress + ')'}
  Workbench    ${workbenchUrl}/staff/ (staff: sign in there, and the Temporal UI shows payloads in clear)
  Sign-in      ${process.env.OIDC_ISSUER ?? identity?.issuer} (OpenID Connect${identity ? ': the development identity provider' : ''})
  Files        ${objects.endpoint ?? `AWS S3 (${objects.region})`}, bucket ${objects.bucket} (${objectStore ? `SeaweedFS, data in ${join(dataDir, 'object-store')}` : 'S3_BUCKET'})
  Metrics      ${metricsHint(config.PORT, env.WORKER_METRICS_ADDRESS, config.METRICS_TOKEN)}
  Data folder  ${dataDir}${
    config.ENCRYPTION_KEYS
      ? ''
      : `
  Encryption   development key in ${join(dataDir, 'encryption-keys.json')}`
  }
Development API keys (also in ${join(dataDir, 'dev-api-keys.json')}):
${keys.map((k) => `  ${k.role.padEnd(10)} ${(k.departmentCode ?? '').padEnd(15)} ${k.key}`).join('\n')}${
    identity
      ? `
Development sign-ins for the workbench, username and password (also in ${join(dataDir, 'dev-users.json')}):
${identity.users.map((u) => `  ${u.role.padEnd(10)} ${u.username.padEnd(20)} ${u.password}`).join('\n')}`
      : ''
  }
Ctrl-C stops everything.
`);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    await Promise.all(children.map(stopChild));
    for (const s of stoppers) await s();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  for (const child of children) child.on('exit', (code) => void stop(code ?? 1));
}

/** The embedded store's bucket for the attachments. */
const developmentBucket = 'suggestion-chain';

/** How to scrape the two metrics pages: the API's answers this machine only, unless METRICS_TOKEN is set (api/metrics.ts). */
function metricsHint(port: number, workerAddress: string, token: string | undefined): string {
  const api = token
    ? `http://localhost:${port}/metrics (API: send Authorization: Bearer $METRICS_TOKEN)`
    : `http://127.0.0.1:${port}/metrics (API: from this machine only; set METRICS_TOKEN to scrape it from elsewhere)`;
  return `${api}, http://${workerAddress}/metrics (worker)`;
}

/**
 * npm start's own OpenID provider (scripts/dev-identity-provider.ts) on PORT + 100, with a user for
 * every role and department; the API verifies the provider's tokens and the workbench signs in there.
 */
function developmentIdentity(dataDir: string, port: number, workbenchUrl: string) {
  const issuer = process.env.OIDC_DEV_ISSUER ?? `http://127.0.0.1:${port + 100}`;
  // A resource indicator is an absolute URI (RFC 8707): the API's audience is named as a URN.
  const audience = process.env.AUTH_TOKEN_AUDIENCE ?? 'urn:suggestion-chain:api';
  const users = ensureDevUsers(dataDir, loadProfileFile().profile.document.departments);
  const settings = ensureDevIdentitySettings(dataDir);
  return {
    issuer,
    users,
    providerEnv: { OIDC_DEV_ISSUER: issuer, AUTH_TOKEN_AUDIENCE: audience, DATA_DIR: dataDir, WORKBENCH_URL: workbenchUrl },
    apiEnv: {
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: settings.clientId,
      OIDC_CLIENT_SECRET: settings.clientSecret,
      AUTH_TOKEN_ISSUER: issuer,
      AUTH_TOKEN_AUDIENCE: audience,
      AUTH_TOKEN_JWKS_URL: `${issuer}/jwks`,
    },
  };
}

/** The UI server, built on first use; without it (no Go), the dev server's own UI, where codec requests carry no cookie. */
async function ensureTemporalUiServerOrSay(): Promise<boolean> {
  try {
    await ensureTemporalUiServer(log);
    return true;
  } catch (err) {
    log(
      `the Temporal UI runs inside the dev server instead: ${err instanceof Error ? err.message : String(err)}; its codec requests carry no cookie, so staff decode there only with "use my browser setting" and "include cross-origin credentials"`,
    );
    return false;
  }
}

/** Prometheus' usual port for the worker's metrics, or any free one when something else has it. */
async function workerMetricsAddress(): Promise<string> {
  const usual = 9464;
  const port = await assertPortFree('127.0.0.1', usual, 'worker metrics').then(
    () => usual,
    () => freePort(),
  );
  return `127.0.0.1:${port}`;
}

/** The UI answers on the loopback address; a browser may name it either way. */
function uiOrigins(uiUrl: string): string[] {
  const url = new URL(uiUrl);
  return [url.origin, `${url.protocol}//localhost:${url.port}`];
}

/** One process per service: Node with tsx's loader, no tsx command wrapping it (a second process, ~50 MiB). */
function run(name: string, script: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], { env, stdio: 'inherit' });
  child.on('error', (err) => console.error(`[${name}] ${err.message}`));
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
