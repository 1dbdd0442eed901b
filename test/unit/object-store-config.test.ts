import { readConfig } from '../../domain/config';
import { objectStoreConfigFrom } from '../../storage/object-store';

// The object store's settings (README, Configuration): checked with the others when a process
// starts, so a store named by halves fails there and not at a citizen's first upload.

const minio = {
  S3_ENDPOINT: 'https://minio.example.gov.cn',
  S3_BUCKET: 'suggestion-chain',
  S3_ACCESS_KEY_ID: 'chain',
  S3_SECRET_ACCESS_KEY: 'secret-of-the-store',
};

test('a store named with its bucket, endpoint and both keys is taken, path-style for an endpoint of its own', () => {
  expect(() => readConfig(minio)).not.toThrow();
  expect(objectStoreConfigFrom(minio)).toEqual({
    endpoint: 'https://minio.example.gov.cn',
    region: 'us-east-1',
    bucket: 'suggestion-chain',
    accessKeyId: 'chain',
    secretAccessKey: 'secret-of-the-store',
    forcePathStyle: true,
  });
  // Aliyun OSS and AWS want the bucket in the host name.
  expect(
    objectStoreConfigFrom({ ...minio, S3_ENDPOINT: 'https://oss-cn-shanghai.aliyuncs.com', S3_REGION: 'oss-cn-shanghai', S3_FORCE_PATH_STYLE: 'false' }),
  ).toMatchObject({ region: 'oss-cn-shanghai', forcePathStyle: false });
  expect(objectStoreConfigFrom({ S3_BUCKET: 'suggestion-chain' })).toMatchObject({ endpoint: undefined, forcePathStyle: false });
});

test('no bucket, no store: the other S3 settings alone are refused rather than ignored', () => {
  expect(objectStoreConfigFrom({})).toBeUndefined();
  expect(() => readConfig({})).not.toThrow();
  expect(() => readConfig({ S3_ENDPOINT: 'https://minio.example.gov.cn' })).toThrow(/S3_ENDPOINT: applies only with S3_BUCKET/);
});

test('an access key without its secret, a bucket name a store refuses, or an endpoint that is not http(s) is refused', () => {
  expect(() => readConfig({ ...minio, S3_SECRET_ACCESS_KEY: undefined })).toThrow(/S3_SECRET_ACCESS_KEY: missing/);
  expect(() => readConfig({ ...minio, S3_BUCKET: 'Suggestion_Chain' })).toThrow(/S3_BUCKET/);
  expect(() => readConfig({ ...minio, S3_ENDPOINT: 'file:///var/files' })).toThrow(/S3_ENDPOINT/);
  expect(() => readConfig({ ...minio, S3_FORCE_PATH_STYLE: 'maybe' })).toThrow(/S3_FORCE_PATH_STYLE/);
});
