import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath } from '../../codec';
import { prepareDatabase } from '../../prisma/prepare';
import { ensureDevEncryptionKeys } from '../../scripts/dev-encryption-keys';
import { startEmbeddedPostgres } from '../../scripts/provision/postgres';
import { startObjectStore } from '../../scripts/provision/object-store';
import { ensureTemporalCli } from '../../scripts/provision/temporal-cli';
import { startTemporalDevServer } from '../../scripts/provision/temporal-dev-server';
import { ensureTimeSkippingServer } from '../../scripts/provision/time-skipping-server';

/**
 * Starts the real servers once per test run: an embedded PostgreSQL with the migrations and
 * reference data, a Temporal dev server with the search attributes, the time-skipping test
 * server's executable, and one workflow bundle. Tests find them through environment variables.
 */
export default async function globalSetup(): Promise<void> {
  const log = (m: string) => process.stderr.write(`[test stack] ${m}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'suggestion-chain-test-'));

  const [postgres, temporal, timeSkippingServer, bundle, objectStore] = await Promise.all([
    (async () => {
      if (process.env.DATABASE_URL) return undefined;
      return startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), log });
    })(),
    (async () => {
      if (process.env.TEMPORAL_ADDRESS) return undefined;
      await ensureTemporalCli(log);
      // With its Web UI, which the browser tests open (TEST_TEMPORAL_UI_URL).
      return startTemporalDevServer({ log });
    })(),
    // Without Java and Maven, the SDK's own download of the server is the fallback (it needs internet).
    ensureTimeSkippingServer(log).catch((err: Error) => {
      log(`${err.message}\nfalling back to the SDK's download of the time-skipping server`);
      process.env.TEST_TIME_SKIPPING_UNAVAILABLE = err.message;
      return '';
    }),
    bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), failureConverterPath, logger: quietBundlerLogger }),
    // A real S3-compatible server (SeaweedFS) for the attachments, unless S3_BUCKET names one.
    process.env.S3_BUCKET ? undefined : startObjectStore({ dataDir: join(dir, 'object-store'), log }),
  ]);
  if (objectStore) Object.assign(process.env, objectStore.env('suggestion-chain-test'));

  const databaseUrl = process.env.DATABASE_URL ?? postgres!.databaseUrl;
  await prepareDatabase(databaseUrl);

  // Generated per run like `npm start`'s, so no key is ever committed with the tests.
  process.env.ENCRYPTION_KEYS = process.env.ENCRYPTION_KEYS ?? ensureDevEncryptionKeys(dir);
  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);

  process.env.DATABASE_URL = databaseUrl;
  process.env.TEMPORAL_ADDRESS = process.env.TEMPORAL_ADDRESS ?? temporal!.address;
  process.env.TEST_TIME_SKIPPING_SERVER = timeSkippingServer;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  if (temporal?.uiUrl) process.env.TEST_TEMPORAL_UI_URL = temporal.uiUrl;
  (globalThis as Record<string, unknown>).__suggestionChainStack = { postgres, temporal, objectStore };
}

const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => process.stderr.write(`[bundler] ${m}\n`),
  error: (m: string) => process.stderr.write(`[bundler] ${m}\n`),
  log: () => undefined,
};
