import { z } from 'zod';

/** The files of mutual TLS to Temporal: given all together or not at all. */
const temporalTlsFiles = ['TEMPORAL_TLS_CA', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY'] as const;

/**
 * Every setting the API, the worker and `npm start` read from the environment. The compose file
 * and the README's configuration table list exactly these.
 */
/** The city's government service hotline, which answers questions about suggestions too. */
export const defaultHelpPhone = '12345';

export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z.string().min(1).optional(),
    TEMPORAL_ADDRESS: z.string().min(1).optional(),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('suggestion-chain'),
    /**
     * Mutual TLS to the Temporal frontend (temporal-client/connection.ts): paths to PEM files of the
     * CA that signed the frontend's certificate, and this process's client certificate and key. All
     * three or none; unset, the connection is plaintext (the dev server `npm start` runs).
     */
    TEMPORAL_TLS_CA: z.string().min(1).optional(),
    TEMPORAL_TLS_CERT: z.string().min(1).optional(),
    TEMPORAL_TLS_KEY: z.string().min(1).optional(),
    /** The name the frontend's certificate must carry, when it is not TEMPORAL_ADDRESS's host (also sent as SNI). */
    TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
    TEMPORAL_UI_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** `npm start` only: the embedded PostgreSQL's port when DATABASE_URL is not set. */
    POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
    /** `npm start` only: the Temporal dev server's port when TEMPORAL_ADDRESS is not set. */
    TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
    DATA_DIR: z.string().min(1).default('.data'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Path to a workflow bundle built ahead of time; without it the worker bundles at start. */
    WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
    /**
     * Keys that encrypt workflow payloads and the proposer's details (建议人信息保密): comma-separated
     * `id=base64` pairs of 32 random bytes. `npm start` generates one into DATA_DIR when unset.
     */
    ENCRYPTION_KEYS: z.string().min(1).optional(),
    /** The key that encrypts new data; the others only decrypt (key rotation). Default: the first listed. */
    ENCRYPTION_KEY_ID: z.string().min(1).optional(),
    /** Origins of the Temporal Web UI allowed to call the API's codec endpoint, comma-separated. */
    CODEC_CORS_ORIGINS: z.string().optional(),
    /**
     * The API behind a reverse proxy: how many hops to trust, or the proxies' addresses or subnets
     * (comma-separated), so the client's own address is the one rate-limited. Unset: no proxy.
     */
    TRUST_PROXY: z
      .string()
      .regex(/^(\d+|true|[0-9a-fA-F.:/, ]+|loopback|linklocal|uniquelocal)$/, 'a hop count, true, or addresses/subnets')
      .optional(),
    /**
     * The bearer token Prometheus sends to scrape the API's GET /metrics. Unset (or empty): the API
     * answers /metrics only to clients on its own machine (loopback, not through a proxy).
     */
    METRICS_TOKEN: z
      .string()
      .optional()
      .transform((v) => v || undefined)
      .refine((v) => v === undefined || v.length >= 16, 'at least 16 characters, e.g. openssl rand -base64 24'),
    /** `host:port` where the worker serves the Temporal SDK's Prometheus metrics; none when unset. */
    WORKER_METRICS_ADDRESS: z
      .string()
      .regex(/^(\[[0-9a-fA-F:]+\]|[^\s:[\]]+):\d{1,5}$/, 'host:port, e.g. 0.0.0.0:9464')
      .optional(),
    /**
     * How many suggestion workflows a worker keeps in memory between their events. Each held about
     * half a MiB in the many-open benchmark (docs/BENCHMARKS.md), over a worker of some 380 MiB, so
     * 250 keeps a worker near 500 MiB, under its 600 MiB budget; an evicted one replays its short
     * history on its next event. The bound, not the number of open suggestions, sets the memory.
     */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(250),
    /** E-mail to proposers over SMTP (`smtp://user:password@host:587`, `smtps://…`); unset: the development mailbox. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/\S+$/, 'smtp://… or smtps://…')
      .optional(),
    /** The sender of those e-mails; required with SMTP_URL. */
    SMTP_FROM: z.string().min(3).optional(),
    /** SMS to proposers through an HTTP gateway (notifications/notifier-providers.ts); unset: the development mailbox. */
    SMS_GATEWAY_URL: z.url({ protocol: /^https?$/ }).optional(),
    SMS_GATEWAY_TOKEN: z.string().min(1).optional(),
    SMS_SENDER: z.string().min(1).max(32).optional(),
    /** The help line every public page shows, to be called for help with a suggestion. */
    HELP_PHONE: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 -]{1,24}$/, 'a phone number of digits, spaces and dashes')
      .default(defaultHelpPhone),
    /** When the help line answers, as the pages should say it (e.g. `工作日 9:00–17:00`); unset: all day. */
    HELP_HOURS: z.string().trim().min(1).max(60).optional(),
    /**
     * The S3-compatible store that keeps attachments (storage/object-store.ts), encrypted by the
     * API: the city's MinIO, Aliyun OSS or AWS S3. Unset S3_BUCKET: `npm start` runs SeaweedFS in
     * DATA_DIR; the API alone has no store and answers uploads 503.
     */
    S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    S3_REGION: z.string().min(1).optional(),
    S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a bucket name: 3–63 lower-case letters, digits, dots and dashes')
      .optional(),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** Bucket in the path (MinIO, SeaweedFS) rather than the host name (AWS, OSS); default: true with S3_ENDPOINT. */
    S3_FORCE_PATH_STYLE: z
      .string()
      .regex(/^(true|false|yes|no|1|0)$/i, 'true or false')
      .optional(),
    /** `npm start` only: the port of the embedded SeaweedFS's S3 gateway when S3_BUCKET is not set. */
    OBJECT_STORE_PORT: z.coerce.number().int().min(1).max(65535).default(8333),
  })
  .superRefine((config, ctx) => {
    // Half a TLS setting would connect in plaintext, or trust the wrong servers, without a word.
    const given = temporalTlsFiles.filter((name) => config[name] !== undefined);
    if (given.length > 0) {
      for (const name of temporalTlsFiles.filter((n) => config[n] === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `missing: mutual TLS to Temporal needs ${temporalTlsFiles.join(', ')} together (${given.join(', ')} set)`,
        });
      }
    } else if (config.TEMPORAL_TLS_SERVER_NAME !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['TEMPORAL_TLS_SERVER_NAME'], message: `applies only with ${temporalTlsFiles.join(', ')}, none of which is set` });
    }
    // A store named by halves would send the files elsewhere than meant, or unsigned.
    if (!config.S3_BUCKET) {
      for (const name of ['S3_ENDPOINT', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE'] as const) {
        if (config[name] !== undefined)
          ctx.addIssue({ code: 'custom', path: [name], message: 'applies only with S3_BUCKET, the bucket the attachments go to' });
      }
    }
    if ((config.S3_ACCESS_KEY_ID === undefined) !== (config.S3_SECRET_ACCESS_KEY === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [config.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'],
        message: 'missing: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together',
      });
    }
  });

export type Config = z.infer<typeof configSchema>;
export const configVariables = Object.keys(configSchema.shape) as (keyof Config)[];

export function readConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
