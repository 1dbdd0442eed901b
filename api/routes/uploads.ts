import { Router } from 'express';
import { z } from 'zod';
import { attachmentTypes, maxAttachmentBytes } from '../../domain/attachments';
import { identifyStaff } from '../auth';
import { storeUpload, uploaderOf } from '../attachments';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { isMultipart, readMultipart } from '../multipart';
import { Problem } from '../problem';
import { problemDocument } from '../schemas';

// POST /v1/uploads: one file a request, multipart/form-data (field `file`), checked, re-encoded and
// stored before anything references it. The answer's uploadId goes into the intake's
// `attachments`, or a department's progress report or decision's `evidence`. Mounted before the
// JSON-only rule, so it reads its own body and identifies staff itself.

const uploadReceipt = z
  .object({
    uploadId: z.string().describe('the id to name in attachments or evidence; the same file sent again under the same Idempotency-Key has the same id'),
    contentType: z.enum(attachmentTypes).describe('the type told from the bytes (not the name): image/jpeg, image/png or application/pdf'),
    bytes: z.number().int().describe('the size kept: images re-encoded without metadata (EXIF and GPS removed), PDFs as sent'),
    sha256: z.string().describe('SHA-256 of the file as kept, hex'),
    width: z.number().int().optional().describe('images: width in pixels'),
    height: z.number().int().optional().describe('images: height in pixels'),
    thumbnail: z.boolean().describe('a thumbnail was made (images)'),
  })
  .describe('The upload, checked and stored encrypted')
  .meta({
    examples: [
      {
        uploadId: '3f2a9c1e-5b7d-4a60-a1c2-e3f405162738',
        contentType: 'image/jpeg',
        bytes: 482113,
        sha256: '9b2e4c1d0a8f7e6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b',
        width: 2048,
        height: 1536,
        thumbnail: true,
      },
    ],
  });

const uploadHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .describe('the same key with the same file answers the same uploadId and stores nothing again'),
});

export function uploadRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  router.use('/v1/uploads', identifyStaff(ctx.db, ctx.verifyToken, ctx.apiKeys));

  registry.add(
    router,
    {
      method: 'post',
      path: '/v1/uploads',
      summary: 'Upload a photo or document (JPEG, PNG, PDF, at most 10 MB) before the suggestion, progress report or decision that names it',
      tag: 'attachments',
      access: 'public',
      headers: uploadHeaders,
      upload: {
        field: 'file',
        description: `one JPEG, PNG or PDF of at most ${maxAttachmentBytes / 1024 / 1024} MB; its type is told from its bytes, its name is not kept`,
        mediaTypes: attachmentTypes,
      },
      responses: {
        201: { description: 'Stored; name the uploadId in the request it belongs to', schema: uploadReceipt },
        413: { description: 'Larger than 10 MB', schema: problemDocument },
        415: { description: 'Not a JPEG, PNG or PDF by its bytes (whatever its name says), or not multipart/form-data', schema: problemDocument },
        422: { description: 'Empty, damaged, or a PDF with scripts or embedded files', schema: problemDocument },
        503: { description: 'The file store cannot be reached: nothing was stored; send the file again after Retry-After', schema: problemDocument },
      },
    },
    async ({ req, res }) => {
      if (!isMultipart(req))
        throw new Problem(415, 'unsupported-media-type', 'Unsupported media type', 'send the file as multipart/form-data in the field `file`');
      const form = await readMultipart(req, { files: 1, fileBytes: maxAttachmentBytes, fields: 5, fieldBytes: 1024 });
      const file = form.files.find((f) => f.field === 'file');
      if (form.tooManyFiles) throw new Problem(400, 'one-file-per-upload', 'One file per upload', 'send one file per request');
      if (!file) throw new Problem(400, 'file-required', 'File required', 'send the file in the multipart field `file`');
      if (file.tooLarge)
        throw new Problem(413, 'file-too-large', 'File refused', `the file is larger than ${maxAttachmentBytes / 1024 / 1024} MB`, { reason: 'too_large' });
      const receipt = await storeUpload(ctx, file.bytes, uploaderOf(req.staff), req.header('idempotency-key'));
      res.status(201).json(receipt);
    },
  );

  return router;
}
