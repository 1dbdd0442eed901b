import { Client } from '@temporalio/client';
import { keyRingFromConfig } from '../codec';
import { suggestionClientOptions } from '../temporal-client/issued-requests';
import { readConfig } from '../domain/config';
import { connectDatabase } from '../prisma/client';
import { createLogger } from '../telemetry/log';
import { createApp } from './app';
import { ProfileStore } from './profile-store';
import { listenForApiKeyChanges } from './api-key-cache';
import { tokenVerifierFromEnv } from './auth';
import { OidcClient, oidcSettingsFromEnv } from './oidc-client';
import { StaffSessions } from './staff-sessions';
import { rateLimitsFromEnv, sharedCounter, trustProxySetting } from './rate-limit';
import { serveGracefully } from './server';
import { temporalConnectionOptions } from '../temporal-client/connection';
import { similaritySettingsFromEnv } from './similarity';
import { connectToTemporal, TemporalCallMetrics } from './temporal-calls';
import { ObjectStore, objectStoreConfigFrom } from '../storage/object-store';

async function main() {
  const config = readConfig(process.env);
  const logger = createLogger(config, 'api');
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) throw new Error('the API needs DATABASE_URL and TEMPORAL_ADDRESS (npm start sets both)');
  const keys = keyRingFromConfig(config);
  const db = connectDatabase(config.DATABASE_URL);
  const temporalCalls = new TemporalCallMetrics();
  const connection = await connectToTemporal(temporalConnectionOptions(config), temporalCalls);
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, ...suggestionClientOptions(keys) });
  const keyChanges = listenForApiKeyChanges(config.DATABASE_URL, {
    onError: (err) => logger.warn({ err }, 'API keys looked up on every request meanwhile: not listening for key changes'),
  });
  const profileError = (err: unknown) => logger.warn({ err }, 'the city profile could not be read from PostgreSQL: the CITY_PROFILE file is served meanwhile');
  const profile = await ProfileStore.load(db).catch((err: unknown) => {
    profileError(err);
    return ProfileStore.fromFile(db, profileError);
  });
  logger.info({ city: profile.current.city.code, profileVersion: profile.current.version }, 'city profile');
  const verifyToken = tokenVerifierFromEnv(process.env);
  // The workbench signs staff in with the identity provider and acts with the tokens the API accepts.
  const oidc = oidcSettingsFromEnv(process.env, config.PORT);
  if (oidc && !verifyToken)
    logger.warn(
      "OIDC_ISSUER is set without AUTH_TOKEN_ISSUER, AUTH_TOKEN_AUDIENCE and a key set: the API cannot check the workbench's tokens, so the workbench is off",
    );
  const staffSessions = oidc && verifyToken ? new StaffSessions(db, keys, new OidcClient(oidc), verifyToken) : undefined;
  // The bucket is the operator's (npm start makes its own): the API only reads and writes objects in it,
  // and starts while the store is out of reach (uploads answer 503 until it is back).
  const objectConfig = objectStoreConfigFrom(process.env);
  const objects = objectConfig ? new ObjectStore(objectConfig, keys) : undefined;
  if (objectConfig)
    logger.info({ endpoint: objectConfig.endpoint ?? `AWS S3 (${objectConfig.region})`, bucket: objectConfig.bucket }, 'attachments kept in the object store');
  else logger.warn('S3_BUCKET is not set: no object store, so uploads and attachments answer 503 (README, Place and attachments)');
  const app = createApp(
    {
      temporal,
      db,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      keys,
      apiKeys: keyChanges.cache,
      profile,
      temporalCalls,
      metricsToken: config.METRICS_TOKEN,
      codecOrigins: listOf(config.CODEC_CORS_ORIGINS),
      helpLine: { phone: config.HELP_PHONE, ...(config.HELP_HOURS ? { hours: config.HELP_HOURS } : {}) },
      verifyToken,
      staffSessions,
      workbenchApiUrl: process.env.WORKBENCH_API_URL,
      rateLimits: rateLimitsFromEnv(process.env),
      similarity: similaritySettingsFromEnv(process.env),
      objects,
      rateLimitCounter: sharedCounter(db, {
        onError: (err) => logger.warn({ err }, 'public requests counted per replica meanwhile: the shared rate-limit count is unavailable'),
      }),
      logger,
    },
    (err) => logger.error({ err }, 'request failed'),
  );
  // Behind a reverse proxy the client's address is in X-Forwarded-For: the rate limits count it, not the proxy's.
  if (config.TRUST_PROXY) app.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  const { url, shutdown: stop } = await serveGracefully(app, config.PORT, undefined, async () => {
    await keyChanges.close();
    await connection.close();
    objects?.close();
    await db.$disconnect();
  });
  logger.info({ url }, 'API listening');

  const shutdown = () => {
    logger.info('API shutting down: finishing requests in flight');
    stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
