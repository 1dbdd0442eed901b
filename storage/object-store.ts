import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { KeyRing } from '../codec';

// Attachments in S3-compatible object storage (the city's MinIO, Aliyun OSS, AWS S3; SeaweedFS in
// development and the tests), through the AWS SDK v3. Every object is encrypted here, before it
// leaves the process, with the key ring (AES-256-GCM, the object's key authenticated with it), so
// any store will do and none of them, nor its backups, holds a readable file.

export interface ObjectStoreConfig {
  /** e.g. http://127.0.0.1:8333 or https://oss-cn-shanghai.aliyuncs.com; unset: AWS S3 for the region. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Bucket in the path (MinIO, SeaweedFS) rather than in the host name (AWS, OSS). */
  forcePathStyle: boolean;
}

/** The store could not be reached or failed: nothing was stored, the caller may try again. */
export class ObjectStoreUnavailable extends Error {
  override readonly name = 'ObjectStoreUnavailable';
}

/** The object is not in the store. */
export class ObjectMissing extends Error {
  override readonly name = 'ObjectMissing';
}

const magic = Buffer.from('SCOBJ1\n', 'utf8');
const context = (key: string) => `attachment-object:${key}`;

export class ObjectStore {
  private readonly client: S3Client;

  constructor(
    readonly config: ObjectStoreConfig,
    private readonly keys: KeyRing,
  ) {
    this.client = s3ClientFor(config);
  }

  get bucket(): string {
    return this.config.bucket;
  }

  /** Encrypts and stores `bytes` under `key`, unless an object is already there (keys name their content). */
  async putSealed(key: string, bytes: Uint8Array): Promise<void> {
    if (await this.exists(key)) return;
    const sealed = this.keys.seal(bytes, context(key));
    const keyId = Buffer.from(`${sealed.keyId}\n`, 'utf8');
    await this.call(() =>
      this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: Buffer.concat([magic, keyId, sealed.bytes]), ContentType: 'application/octet-stream' }),
      ),
    );
  }

  /** The object's bytes in clear. */
  async getOpened(key: string): Promise<Buffer> {
    const answer = await this.call(() => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })));
    const body = Buffer.from(await answer.Body!.transformToByteArray());
    if (!body.subarray(0, magic.length).equals(magic)) throw new Error(`object ${key} is not sealed by this service`);
    const end = body.indexOf(0x0a, magic.length);
    const keyId = body.subarray(magic.length, end).toString('utf8');
    return this.keys.open({ keyId, bytes: body.subarray(end + 1) }, context(key));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.call(() => this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key })));
      return true;
    } catch (err) {
      if (err instanceof ObjectMissing) return false;
      throw err;
    }
  }

  /** Creates the bucket when it is not there (development and tests; production names an existing one). */
  async ensureBucket(): Promise<void> {
    await prepareBucket(this.config);
  }

  close(): void {
    this.client.destroy();
  }

  private call<T>(send: () => Promise<T>): Promise<T> {
    return storeCall(send);
  }
}

function s3ClientFor(config: ObjectStoreConfig): S3Client {
  return new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    ...(config.accessKeyId && config.secretAccessKey ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } } : {}),
    // A store that is down answers a citizen's upload with 503 in seconds, not after minutes of retries.
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 20_000, throwOnRequestTimeout: true },
  });
}

async function storeCall<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || (err instanceof S3ServiceException && ['NoSuchKey', 'NotFound', 'NoSuchBucket'].includes(err.name)))
      throw new ObjectMissing(`not in the store: ${(err as Error).message}`);
    if (err instanceof S3ServiceException && status !== undefined && status < 500) throw err;
    throw new ObjectStoreUnavailable(`the object store did not answer: ${(err as Error).message || (err as Error).name}`, { cause: err });
  }
}

/**
 * Creates the bucket when it is not there, without the key ring: `npm start` for its SeaweedFS and
 * the compose file's one-shot setup. A store whose operator made the bucket is left as it is.
 */
export async function prepareBucket(config: ObjectStoreConfig): Promise<'created' | 'exists'> {
  const client = s3ClientFor(config);
  try {
    try {
      await storeCall(() => client.send(new HeadBucketCommand({ Bucket: config.bucket })));
      return 'exists';
    } catch (err) {
      if (!(err instanceof ObjectMissing)) throw err;
      try {
        await storeCall(() => client.send(new CreateBucketCommand({ Bucket: config.bucket })));
      } catch (created) {
        // Another process (a second replica, a parallel test) made it between the look and the creation.
        if (created instanceof S3ServiceException && created.name === 'BucketAlreadyOwnedByYou') return 'exists';
        throw created;
      }
      return 'created';
    }
  } finally {
    client.destroy();
  }
}

/** The store from configuration (README, configuration table); undefined when none is configured. */
export function objectStoreConfigFrom(env: Record<string, string | undefined>): ObjectStoreConfig | undefined {
  if (!env.S3_BUCKET) return undefined;
  return {
    endpoint: env.S3_ENDPOINT || undefined,
    region: env.S3_REGION || 'us-east-1',
    bucket: env.S3_BUCKET,
    accessKeyId: env.S3_ACCESS_KEY_ID || undefined,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
    forcePathStyle: env.S3_FORCE_PATH_STYLE ? ['1', 'true', 'yes'].includes(env.S3_FORCE_PATH_STYLE.toLowerCase()) : Boolean(env.S3_ENDPOINT),
  };
}
