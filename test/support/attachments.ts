import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import type { ObjectStoreConfig } from '../../storage/object-store';

// Files for the attachment tests, made in the test (no fixtures), and a look into the bucket.

/** A real JPEG photo with EXIF that carries a GPS position (a phone's), as sharp writes it. */
export async function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 640, height: 480, channels: 3, background: '#3a7' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'Phone', Model: 'Camera' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 18/1 7/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 30/1 42/1' },
    })
    .toBuffer();
}

export async function png(): Promise<Buffer> {
  return sharp({ create: { width: 200, height: 100, channels: 4, background: '#24c' } })
    .png()
    .toBuffer();
}

export function pdf(): Buffer {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
    'latin1',
  );
}

/** Whether an EXIF block (TIFF, little-endian as sharp writes it) points to a GPS IFD (tag 0x8825). */
export function hasGpsIfd(exif: Buffer | undefined): boolean {
  return exif !== undefined && (exif.includes(Buffer.from([0x25, 0x88])) || exif.includes(Buffer.from([0x88, 0x25])));
}

/** The keys under attachments/ in the bucket. */
export async function objectKeys(config: ObjectStoreConfig): Promise<string[]> {
  const s3 = new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId!, secretAccessKey: config.secretAccessKey! },
  });
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: 'attachments/', ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  s3.destroy();
  return keys;
}

/** A multipart body with one file, as a browser or curl sends it. */
export function fileForm(bytes: Buffer, filename: string, type: string, fields: Record<string, string | string[]> = {}, field = 'file'): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  form.append(field, new Blob([bytes], { type }), filename);
  return form;
}
