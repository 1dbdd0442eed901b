// Photos and documents as evidence (附件): what a citizen sends with a suggestion, and what a
// department attaches to a progress report or its decision. The bytes live in object storage,
// encrypted; a suggestion (and so its workflow's history) carries only references: the object's
// key, its checksum, its type and size. Kept free of zod and I/O so workflow validators use it.

export const attachmentTypes = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type AttachmentType = (typeof attachmentTypes)[number];

export const maxAttachments = 5;
export const maxAttachmentBytes = 10 * 1024 * 1024;

/** An upload's id, which is also its attachment's: 32 hex digits in UUID groups, derived with the server's key, never from the file's name. */
export const attachmentIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** 32 hex digits written as an attachment id. */
export const attachmentIdOf = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;

/** Object keys name the attachment by its id only: no file name, nothing personal. */
export const objectKeyOf = (id: string) => `attachments/${id}/file`;
export const thumbnailKeyOf = (id: string) => `attachments/${id}/thumbnail`;

/** What a suggestion, a progress report or a decision carries of a file. */
export interface AttachmentRef {
  id: string;
  /** The object in the store (encrypted). */
  key: string;
  /** SHA-256 of the stored file as served (images after re-encoding), hex. */
  sha256: string;
  contentType: AttachmentType;
  bytes: number;
  /** Images: a small JPEG, stored as an object too. */
  thumbnailKey?: string;
}

/** What is wrong with a list of attachment references, or null. */
export function attachmentRefsProblem(refs: unknown): string | null {
  if (refs === undefined) return null;
  if (!Array.isArray(refs)) return 'attachments are a list';
  if (refs.length > maxAttachments) return `at most ${maxAttachments} attachments`;
  const seen = new Set<string>();
  for (const [i, r] of refs.entries()) {
    const ref = r as Partial<AttachmentRef>;
    if (typeof ref?.id !== 'string' || !attachmentIdPattern.test(ref.id)) return `attachment ${i + 1} has no valid id`;
    if (ref.key !== objectKeyOf(ref.id)) return `attachment ${i + 1} names another object`;
    if (ref.thumbnailKey !== undefined && ref.thumbnailKey !== thumbnailKeyOf(ref.id)) return `attachment ${i + 1} names another thumbnail`;
    if (typeof ref.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(ref.sha256)) return `attachment ${i + 1} has no checksum`;
    if (!attachmentTypes.includes(ref.contentType as AttachmentType)) return `attachment ${i + 1} is not ${attachmentTypes.join(', ')}`;
    if (typeof ref.bytes !== 'number' || !Number.isInteger(ref.bytes) || ref.bytes < 1 || ref.bytes > maxAttachmentBytes)
      return `attachment ${i + 1} has no valid size`;
    if (seen.has(ref.id)) return `attachment ${ref.id} is listed twice`;
    seen.add(ref.id);
  }
  return null;
}
