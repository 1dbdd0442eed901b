import { Router } from 'express';
import { z } from 'zod';
import { attachmentIdPattern, attachmentTypes } from '../../domain/attachments';
import { outcomesNeedingPlan } from '../../domain/vocabulary';
import { readAttachment, sendAttachment } from '../attachments';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { Problem } from '../problem';
import { ownSuggestion, tokenOf } from '../proposer-tracking';
import { readSuggestion } from '../read-model';
import { problemDocument, suggestionIdParams } from '../schemas';
import { inJurisdiction } from '../jurisdiction-scope';
import { queryWorkflow, visibleTo } from '../suggestion-client';
import { trackingTokenHeader } from '../tracking-token';

// The files themselves, to whoever may see them: staff who may see the suggestion (the
// departments handling it, the office, supervisors), the proposer with their tracking token,
// and anyone for the evidence a department published on a suggestion of the public board.

const attachmentParams = suggestionIdParams.extend({ attachmentId: z.string().regex(attachmentIdPattern, 'an attachment id (an uploadId)') });
const publicParams = z.object({ attachmentId: z.string().regex(attachmentIdPattern, 'an attachment id (an uploadId)') });
const parts = [
  ['', 'file', 'The file (images re-encoded without metadata; PDFs downloaded, never shown inline)', attachmentTypes],
  ['/thumbnail', 'thumbnail', 'A JPEG thumbnail of at most 320 × 320 pixels (images only)', ['image/jpeg']],
] as const;
const fileResponses = (what: string, media: readonly string[]) => ({
  200: { description: what, media },
  404: { description: 'No such attachment on a suggestion you may see (or no thumbnail: a PDF)', schema: problemDocument },
  503: { description: 'The file store cannot be reached; see Retry-After', schema: problemDocument },
});

export function attachmentRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();

  async function attachmentOn(suggestionId: string, attachmentId: string) {
    const row = await ctx.db.attachment.findUnique({ where: { id: attachmentId } });
    if (!row || row.suggestionId !== suggestionId) throw new Problem(404, 'not-found', 'Not found', `no attachment ${attachmentId} on ${suggestionId}`);
    return row;
  }
  const refOf = (row: NonNullable<Awaited<ReturnType<typeof attachmentOn>>>) => ({
    id: row.id,
    key: row.objectKey,
    sha256: row.sha256,
    contentType: row.contentType as (typeof attachmentTypes)[number],
    bytes: row.bytes,
    ...(row.thumbnailKey ? { thumbnailKey: row.thumbnailKey } : {}),
  });

  for (const [suffix, part, what, media] of parts) {
    registry.add(
      router,
      {
        method: 'get',
        path: `/v1/suggestions/:id/attachments/:attachmentId${suffix}`,
        summary: `${part === 'file' ? 'An attachment' : "An attachment's thumbnail"} of a suggestion, for staff who may see the suggestion`,
        tag: 'attachments',
        access: ['intake', 'office', 'department', 'supervisor', 'admin'],
        params: attachmentParams,
        responses: fileResponses(what, media),
      },
      async ({ params, req, res }) => {
        const view = (await readSuggestion(ctx.db, params.id)) ?? (await queryWorkflow(ctx, params.id));
        // A department that does not handle the suggestion is told nothing of it, as for the suggestion itself.
        // So is an office or supervisor outside its jurisdiction (jurisdiction-scope.ts).
        if (!view || !visibleTo(req.staff!, view) || !inJurisdiction(req.staff!, view, ctx.profile!.current))
          throw new Problem(404, 'not-found', 'Not found', `suggestion ${params.id} does not exist`);
        const row = await attachmentOn(params.id, params.attachmentId);
        sendAttachment(res, await readAttachment(ctx, refOf(row), part), row.id, 'private');
      },
    );

    registry.add(
      router,
      {
        method: 'get',
        path: `/v1/suggestions/:id/tracking/attachments/:attachmentId${suffix}`,
        summary: `${part === 'file' ? 'An attachment' : "An attachment's thumbnail"} of the proposer's own suggestion, with their tracking token`,
        tag: 'attachments',
        access: 'public',
        params: attachmentParams,
        headers: z.object({ [trackingTokenHeader]: z.string().min(1).max(200).describe('the tracking token given at intake') }),
        responses: fileResponses(what, media),
      },
      async ({ params, req, res }) => {
        await ownSuggestion(ctx, params.id, tokenOf(req));
        const row = await attachmentOn(params.id, params.attachmentId);
        sendAttachment(res, await readAttachment(ctx, refOf(row), part), row.id, 'private');
      },
    );

    registry.add(
      router,
      {
        method: 'get',
        path: `/v1/public/attachments/:attachmentId${suffix}`,
        summary: `${part === 'file' ? 'Evidence' : "Evidence's thumbnail"} a department published on a suggestion of the public board`,
        tag: 'public',
        access: 'public',
        params: publicParams,
        responses: fileResponses(what, media),
      },
      async ({ params, res }) => {
        const row = await publishedEvidence(ctx, params.attachmentId);
        sendAttachment(res, await readAttachment(ctx, refOf(row), part), row.id, 'public');
      },
    );
  }

  return router;
}

/** Evidence of a progress report or decision on a suggestion the board shows; anything else is not found. */
async function publishedEvidence(ctx: ApiContext, id: string) {
  const row = await ctx.db.attachment.findUnique({ where: { id } });
  const onBoard =
    row?.suggestionId && ['progress', 'decision'].includes(row.purpose ?? '')
      ? await ctx.db.suggestion.count({
          where: { id: row.suggestionId, publishConsent: true, outcome: { in: [...outcomesNeedingPlan] }, repliedAt: { not: null } },
        })
      : 0;
  if (!row || !onBoard) throw new Problem(404, 'not-found', 'Not found', `no published evidence ${id}`);
  return row;
}
