import { createHmac, randomUUID } from 'node:crypto';
import {
  attachmentIdOf,
  attachmentIdPattern,
  maxAttachments,
  objectKeyOf,
  thumbnailKeyOf,
  type AttachmentRef,
  type AttachmentType,
} from '../domain/attachments';
import type { SuggestionView } from '../domain/suggestion';
import { checkFile, FileRefused, sha256, type RefusalReason } from '../storage/evidence-file';
import { ObjectMissing, ObjectStoreUnavailable } from '../storage/object-store';
import type { ApiContext } from './context';
import { Problem } from './problem';
import type { StaffIdentity } from './staff-identity';

// Attachments (附件): a file is checked and stored when it is uploaded, under an id of its own,
// and attached later by id, to a suggestion at intake or to a department's progress report or
// decision. Who may attach it: whoever uploaded it (a citizen's upload to any new suggestion that
// names it, a department's only to its own reports). Who may see it: whoever may see the
// suggestion, and on the public board only the evidence a department published.

/** How long a client waits before sending files again when the object store is out of reach. */
export const objectStoreRetryAfterSeconds = 10;

/** Who uploaded: `public` for a citizen (no key), else the department's code or the staff role. */
export function uploaderOf(staff: StaffIdentity | undefined): string {
  if (!staff) return 'public';
  return staff.role === 'department' ? `department:${staff.departmentCode}` : `staff:${staff.role}`;
}

export interface UploadReceipt {
  uploadId: string;
  contentType: AttachmentType;
  bytes: number;
  sha256: string;
  width?: number;
  height?: number;
  thumbnail: boolean;
}

const refusalStatus: Record<RefusalReason, number> = { empty: 422, too_large: 413, type: 415, damaged: 422, active_content: 422 };

/**
 * Checks, re-encodes and stores one file. `scope` is the Idempotency-Key (or the web form's key):
 * the same file sent again under it has the same id and object keys, so a retry stores nothing twice.
 */
export async function storeUpload(ctx: ApiContext, original: Buffer, uploader: string, scope?: string): Promise<UploadReceipt> {
  const objects = ctx.objects;
  if (!objects)
    throw new Problem(
      503,
      'object-store-unavailable',
      'Attachments unavailable',
      'no object store is configured for attachments',
      {},
      { 'Retry-After': String(objectStoreRetryAfterSeconds) },
    );
  let checked;
  try {
    checked = await checkFile(original);
  } catch (err) {
    if (!(err instanceof FileRefused)) throw err;
    throw new Problem(refusalStatus[err.reason], `file-${err.reason.replace('_', '-')}`, 'File refused', err.message, { reason: err.reason });
  }
  // Named by the server's key, the sender's scope and the content: nothing of the file's name.
  const id = attachmentIdOf(
    createHmac('sha256', ctx.keys.derive('attachment-id'))
      .update(`${uploader}\n${scope ?? randomUUID()}\n${sha256(original)}`)
      .digest('hex'),
  );
  const receipt: UploadReceipt = {
    uploadId: id,
    contentType: checked.contentType,
    bytes: checked.bytes.length,
    sha256: checked.sha256,
    ...(checked.width ? { width: checked.width, height: checked.height } : {}),
    thumbnail: Boolean(checked.thumbnail),
  };
  try {
    if (checked.thumbnail) await objects.putSealed(thumbnailKeyOf(id), checked.thumbnail);
    await objects.putSealed(objectKeyOf(id), checked.bytes);
  } catch (err) {
    if (err instanceof ObjectStoreUnavailable) throw storeUnavailable();
    throw err;
  }
  await ctx.db.attachment.createMany({
    data: [
      {
        id,
        uploadedBy: uploader,
        objectKey: objectKeyOf(id),
        thumbnailKey: checked.thumbnail ? thumbnailKeyOf(id) : null,
        sha256: checked.sha256,
        contentType: checked.contentType,
        bytes: checked.bytes.length,
        width: checked.width ?? null,
        height: checked.height ?? null,
      },
    ],
    skipDuplicates: true,
  });
  return receipt;
}

export function storeUnavailable(): Problem {
  return new Problem(
    503,
    'object-store-unavailable',
    'Attachments unavailable',
    'the file store cannot be reached just now; nothing was recorded, send the files again later',
    {},
    { 'Retry-After': String(objectStoreRetryAfterSeconds) },
  );
}

const refOf = (row: { id: string; objectKey: string; thumbnailKey: string | null; sha256: string; contentType: string; bytes: number }): AttachmentRef => ({
  id: row.id,
  key: row.objectKey,
  sha256: row.sha256,
  contentType: row.contentType as AttachmentType,
  bytes: row.bytes,
  ...(row.thumbnailKey ? { thumbnailKey: row.thumbnailKey } : {}),
});

/**
 * The uploads a request names, as references, once each is known and may be attached by this
 * sender: their own upload, not yet attached elsewhere. `retryOf` is the suggestion a retried
 * request (same Idempotency-Key) may already have attached them to.
 */
export async function uploadsFor(
  ctx: ApiContext,
  ids: readonly string[] | undefined,
  uploader: string | ((uploadedBy: string) => boolean),
  retryOf?: string | true,
): Promise<AttachmentRef[] | undefined> {
  if (!ids?.length) return undefined;
  if (ids.length > maxAttachments) throw new Problem(422, 'too-many-attachments', 'Too many attachments', `at most ${maxAttachments} files`);
  const rows = await ctx.db.attachment.findMany({ where: { id: { in: [...ids] } } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const mayAttach = typeof uploader === 'string' ? (by: string) => by === uploader : uploader;
  for (const id of ids) {
    const row = byId.get(id);
    const attachedElsewhere = row?.suggestionId && !(retryOf === true || row.suggestionId === retryOf);
    if (!row || !mayAttach(row.uploadedBy) || attachedElsewhere) {
      throw new Problem(
        422,
        'unknown-upload',
        'Unknown upload',
        `upload ${id} does not exist, is not yours or is attached elsewhere: send the file to POST /v1/uploads first`,
      );
    }
  }
  return ids.map((id) => refOf(byId.get(id)!));
}

/** Records that the uploads now belong to the suggestion (after its workflow took them). */
export async function markAttached(
  ctx: ApiContext,
  suggestionId: string,
  refs: readonly AttachmentRef[] | undefined,
  purpose: 'submission' | 'progress' | 'decision',
  milestoneId?: string,
): Promise<void> {
  if (!refs?.length) return;
  await ctx.db.attachment.updateMany({
    where: { id: { in: refs.map((r) => r.id) }, OR: [{ suggestionId: null }, { suggestionId }] },
    data: { suggestionId, purpose, milestoneId: milestoneId ?? null, attachedAt: new Date() },
  });
}

/** Every attachment the suggestion's state names: the proposer's, and the evidence on its reports and decision. */
export function attachmentsOf(view: SuggestionView): { ref: AttachmentRef; purpose: 'submission' | 'progress' | 'decision' }[] {
  const found: { ref: AttachmentRef; purpose: 'submission' | 'progress' | 'decision' }[] = [];
  for (const ref of view.attachments ?? []) found.push({ ref, purpose: 'submission' });
  for (const ref of view.decision?.evidence ?? []) found.push({ ref, purpose: 'decision' });
  for (const m of view.feedback?.implementation?.milestones ?? [])
    for (const r of m.reports) for (const ref of r.evidence ?? []) found.push({ ref, purpose: 'progress' });
  return found;
}

/** One attachment's file or thumbnail, in clear, for whoever was found allowed to see it. */
export async function readAttachment(ctx: ApiContext, ref: AttachmentRef, part: 'file' | 'thumbnail'): Promise<{ bytes: Buffer; contentType: string }> {
  if (!ctx.objects) throw storeUnavailable();
  const key = part === 'file' ? ref.key : ref.thumbnailKey;
  if (!key) throw new Problem(404, 'not-found', 'Not found', 'this attachment has no thumbnail (a PDF)');
  try {
    return { bytes: await ctx.objects.getOpened(key), contentType: part === 'file' ? ref.contentType : 'image/jpeg' };
  } catch (err) {
    if (err instanceof ObjectStoreUnavailable) throw storeUnavailable();
    if (err instanceof ObjectMissing) throw new Problem(404, 'not-found', 'Not found', 'the file is not in the store');
    throw err;
  }
}

/** Sends a file so that no browser runs it: its own type, no sniffing, a sandbox, PDFs downloaded. */
export function sendAttachment(res: import('express').Response, file: { bytes: Buffer; contentType: string }, id: string, cache: 'private' | 'public'): void {
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.setHeader('Cache-Control', cache === 'public' ? 'public, max-age=3600' : 'private, no-store');
  const extension = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' }[file.contentType] ?? 'bin';
  res.setHeader('Content-Disposition', `${file.contentType === 'application/pdf' ? 'attachment' : 'inline'}; filename="${id}.${extension}"`);
  res.send(file.bytes);
}

export const isAttachmentId = (id: string) => attachmentIdPattern.test(id);
