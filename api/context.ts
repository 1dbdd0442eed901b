import type { Client } from '@temporalio/client';
import type { KeyRing } from '../codec';
import type { Database } from '../prisma/client';
import type { Logger } from '../telemetry/log';
import type { TokenVerifier } from './auth';
import type { RateLimits, WindowCounter } from './rate-limit';
import type { ApiKeyCache } from './api-key-cache';
import type { ProfileStore } from './profile-store';
import type { RoutingForecast } from './routing-forecast';
import type { SimilaritySettings } from './similarity';
import type { StaffSessions } from './staff-sessions';
import type { TemporalCallMetrics } from './temporal-calls';
import type { ObjectStore } from '../storage/object-store';

/** What every route needs: the Temporal client, the read model and where the workflows run. */
export interface ApiContext {
  temporal: Client;
  db: Database;
  taskQueue: string;
  /** Encrypts the proposer's details at rest and serves the Temporal UI's codec endpoint. */
  keys: KeyRing;
  /** Origins of the Temporal Web UI allowed to call the codec endpoint from a browser. */
  codecOrigins?: string[];
  now?: () => Date;
  /** The random bytes of a tracking number drawn for a submission without an Idempotency-Key (intake-number.ts); node:crypto's unless given. */
  drawNumber?: () => Buffer;
  /** Limits for anonymous clients of public endpoints; defaults in rate-limit.ts. */
  rateLimits?: RateLimits;
  /** Where public requests are counted: in each app when unset; api/main.ts shares them through PostgreSQL. */
  rateLimitCounter?: WindowCounter;
  /** Accepts signed staff tokens besides API keys when an identity provider is configured. */
  verifyToken?: TokenVerifier;
  /** Where each answered request is logged (api/request-log.ts); nothing is logged without it. */
  logger?: Logger;
  /** Lets a new suggestion's workflow start with its department and deadline as search attributes (routing-forecast.ts); createApi makes one unless given. */
  forecast?: RoutingForecast;
  /** Staff identities kept while PostgreSQL announces key changes (api-key-cache.ts); every key is looked up without it. */
  apiKeys?: ApiKeyCache;
  /** The help line the public pages show (HELP_PHONE, HELP_HOURS); the city hotline 12345, all day, unless given. */
  helpLine?: { phone: string; hours?: string };
  /** The city profile (domain/profile.ts) as PostgreSQL holds it; createApi follows the database from the CITY_PROFILE file unless given. */
  profile?: ProfileStore;
  /** The threshold and window of similar suggestions and hotspots (similarity.ts); the measured defaults unless given. */
  similarity?: SimilaritySettings;
  /** Timings of the calls to Temporal, shown at GET /metrics when the connection was made with them (temporal-calls.ts). */
  temporalCalls?: TemporalCallMetrics;
  /** The bearer token a scraper of GET /metrics sends (METRICS_TOKEN); without it only clients on this machine are answered (metrics.ts). */
  metricsToken?: string;
  /** The staff workbench's sign-ins through the identity provider (staff-sessions.ts); without them /staff/ says it is not configured. */
  staffSessions?: StaffSessions;
  /** Where the workbench calls the API; this server on the loopback unless given (WORKBENCH_API_URL). */
  workbenchApiUrl?: string;
  /** Where attachments are kept, encrypted (S3_*); without it, uploads answer 503. */
  objects?: ObjectStore;
}
