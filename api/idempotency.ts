import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { z } from 'zod';
import { openField, sealField } from '../codec';
import type { ApiContext } from './context';
import type { ParsedRequest } from './endpoint';
import { Problem } from './problem';
import { problemDocument } from './schemas';

// Idempotency-Key on the POSTs that create a record without a workflow id of their own to lean on
// (an API key, a routing rule, a campaign or collection with a generated id): the first answer is
// kept per staff member, route and key, and a retry gets it back instead of a second record.
// Suggestions and the actions on them use the workflow id and update id instead.

/** The header as the endpoints declare it: documented, and validated like any parameter. */
export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .describe('A retry with the same key gets the first answer; the same key with another request is refused'),
});

const idempotencyResponses: Record<number, { description: string; schema: z.ZodType }> = {
  409: { description: 'A request with this Idempotency-Key is still being handled; retry shortly', schema: problemDocument },
  422: { description: 'This Idempotency-Key was used for a different request', schema: problemDocument },
};

/** An endpoint's own responses with those of the Idempotency-Key added (both problem documents). */
export function withIdempotencyResponses(responses: Record<number, { description: string; schema?: z.ZodType }>) {
  const merged = { ...responses };
  for (const [status, added] of Object.entries(idempotencyResponses)) {
    const own = merged[Number(status)];
    merged[Number(status)] = own ? { ...own, description: `${own.description}; or: ${added.description}` } : added;
  }
  return merged;
}

/** A day: long enough for any client's retries, short enough that the table stays small. */
export const idempotencyRetentionMs = 24 * 3600 * 1000;
/** A first request still unanswered after this is taken as lost (its process died) and may be retried. */
const abandonedAfterMs = 60_000;

type Handler<P, Q, B> = (r: ParsedRequest<P, Q, B>) => Promise<unknown>;

/**
 * Wraps a handler that answers with `res.status(...).json(...)`: with an Idempotency-Key from a
 * staff member, the answer is stored before it is sent, and a retry is answered from the store.
 * A request that fails is forgotten, so its retry runs again.
 */
export function withIdempotency<P, Q, B>(ctx: Pick<ApiContext, 'db' | 'keys'>, route: string, handler: Handler<P, Q, B>): Handler<P, Q, B> {
  return async (r) => {
    const key = r.req.header('idempotency-key');
    if (!key || !r.req.staff) return handler(r);
    const id = { principal: r.req.staff.keyId, route, key };
    const requestHash = createHash('sha256')
      .update(JSON.stringify({ params: r.params, body: r.body ?? null }))
      .digest('hex');
    const context = `idempotent_requests:${route}:${id.principal}:${key}`;

    const earlier = await claim(ctx, id, requestHash);
    if (earlier) {
      if (earlier.requestHash !== requestHash)
        throw new Problem(422, 'idempotency-key-reused', 'Idempotency-Key reused', 'this Idempotency-Key was used for a different request');
      if (earlier.status === null || earlier.response === null) {
        throw new Problem(
          409,
          'request-in-progress',
          'Request in progress',
          'the first request with this Idempotency-Key is still being handled; retry shortly',
          {},
          { 'Retry-After': '1' },
        );
      }
      if (earlier.location) r.res.location(earlier.location);
      r.res.setHeader('Idempotent-Replayed', 'true');
      r.res.status(earlier.status).json(JSON.parse(openField(ctx.keys, earlier.response, context)));
      return;
    }

    const answer = captureAnswer(r.res);
    try {
      await handler(r);
    } catch (err) {
      answer.release();
      await ctx.db.idempotentRequest.deleteMany({ where: { ...id, status: null } });
      throw err;
    }
    answer.release();
    if (!answer.captured) return;
    const location = r.res.getHeader('location');
    await ctx.db.idempotentRequest.update({
      where: { principal_route_key: id },
      data: {
        status: r.res.statusCode,
        location: typeof location === 'string' ? location : null,
        response: sealField(ctx.keys, JSON.stringify(answer.captured.body), context),
        completedAt: new Date(),
      },
    });
    r.res.json(answer.captured.body);
  };
}

type Row = { requestHash: string; status: number | null; response: string | null; location: string | null };

/** Takes the key for this request, or returns the request that holds it. */
async function claim(ctx: Pick<ApiContext, 'db'>, id: { principal: string; route: string; key: string }, requestHash: string): Promise<Row | undefined> {
  const now = Date.now();
  // An expired answer, or a first request that never finished, no longer holds the key.
  await ctx.db.idempotentRequest.deleteMany({
    where: {
      ...id,
      OR: [{ createdAt: { lt: new Date(now - idempotencyRetentionMs) } }, { status: null, createdAt: { lt: new Date(now - abandonedAfterMs) } }],
    },
  });
  const inserted = await ctx.db.idempotentRequest.createMany({ data: [{ ...id, requestHash }], skipDuplicates: true });
  if (inserted.count === 1) return undefined;
  const row = await ctx.db.idempotentRequest.findUnique({ where: { principal_route_key: id } });
  // Gone between the two statements (it expired or failed): this request may go ahead as the first.
  return row ?? (await claim(ctx, id, requestHash));
}

/** Holds back the handler's JSON answer so it is stored before the client sees it. */
function captureAnswer(res: Response) {
  const send = res.json.bind(res);
  const state: { captured?: { body: unknown }; release(): void } = {
    release: () => {
      res.json = send;
    },
  };
  res.json = ((body: unknown) => {
    state.captured = { body };
    return res;
  }) as Response['json'];
  return state;
}
