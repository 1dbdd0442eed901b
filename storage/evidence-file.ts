import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { maxAttachmentBytes, type AttachmentType } from '../domain/attachments';

// What a file is, told from its bytes (file-type reads the signatures), never from its name or
// the type its sender declared. Photos are decoded and encoded again with sharp (libvips): what is
// kept and shown is a fresh JPEG or PNG with no metadata at all, so the EXIF a phone writes (GPS
// position, device, time) never reaches the store, a department or the board; the orientation is
// applied to the pixels first. A PDF is kept as sent, once it is checked to be a whole PDF without
// active content.

export type RefusalReason = 'empty' | 'too_large' | 'type' | 'damaged' | 'active_content';

export class FileRefused extends Error {
  override readonly name = 'FileRefused';
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
  }
}

export interface CheckedFile {
  contentType: AttachmentType;
  /** What is stored and served: the re-encoded image, or the PDF as sent. */
  bytes: Buffer;
  sha256: string;
  width?: number;
  height?: number;
  /** Images: a JPEG of at most 320 × 320 pixels. */
  thumbnail?: Buffer;
}

/** Photos larger than this are scaled down: no evidence needs more, and a decoded 100-megapixel image is a memory bomb. */
const maxEdge = 4096;
const maxInputPixels = 60_000_000;
const thumbnailEdge = 320;

export async function checkFile(original: Buffer): Promise<CheckedFile> {
  if (original.length === 0) throw new FileRefused('empty', 'the file is empty');
  if (original.length > maxAttachmentBytes) throw new FileRefused('too_large', `the file is larger than ${maxAttachmentBytes / 1024 / 1024} MB`);
  const detected = await fileTypeFromBuffer(original);
  if (detected?.mime === 'image/jpeg' || detected?.mime === 'image/png') return reencodeImage(original, detected.mime);
  if (detected?.mime === 'application/pdf') return checkPdf(original);
  throw new FileRefused('type', `the file is ${detected ? `${detected.mime}` : 'of no known type'}, not a JPEG, PNG or PDF`);
}

async function reencodeImage(original: Buffer, mime: 'image/jpeg' | 'image/png'): Promise<CheckedFile> {
  try {
    // No withMetadata(): sharp writes none of the input's EXIF, XMP, IPTC or ICC profile.
    const image = sharp(original, { limitInputPixels: maxInputPixels, failOn: 'error' })
      .rotate()
      .resize({ width: maxEdge, height: maxEdge, fit: 'inside', withoutEnlargement: true });
    const encoded = mime === 'image/jpeg' ? image.jpeg({ quality: 85, mozjpeg: true }) : image.png({ compressionLevel: 9 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    const thumbnail = await sharp(data)
      .resize({ width: thumbnailEdge, height: thumbnailEdge, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 70 })
      .toBuffer();
    if (data.length > maxAttachmentBytes) throw new FileRefused('too_large', `the image is larger than ${maxAttachmentBytes / 1024 / 1024} MB even re-encoded`);
    return { contentType: mime, bytes: data, sha256: sha256(data), width: info.width, height: info.height, thumbnail };
  } catch (err) {
    if (err instanceof FileRefused) throw err;
    throw new FileRefused('damaged', `the image cannot be read: ${(err as Error).message}`);
  }
}

function checkPdf(original: Buffer): CheckedFile {
  if (!original.subarray(0, 1024).includes('%PDF-')) throw new FileRefused('damaged', 'the PDF has no header');
  if (!original.subarray(Math.max(0, original.length - 2048)).includes('%%EOF'))
    throw new FileRefused('damaged', 'the PDF is cut short (no end-of-file marker)');
  // Scripts and launch actions run in some readers; evidence needs neither.
  const text = original.toString('latin1');
  if (/\/(JavaScript|JS|Launch|EmbeddedFile)\b/.test(text))
    throw new FileRefused('active_content', 'the PDF carries scripts, launch actions or embedded files');
  return { contentType: 'application/pdf', bytes: original, sha256: sha256(original) };
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
