import { Router } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { Problem } from '../problem';
import { departmentCodeParams, problemDocument } from '../schemas';

// A department's online notices (通知): what the chain told it on its desk (a new assignment, a
// reminder, an opinion asked or given, a follow-up check, a campaign's share), as delivered to
// the mailbox by the outbox dispatcher. Newest first.

const noticeQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,400}$/, 'a cursor returned as nextCursor')
      .optional(),
  })
  .strict();

const notice = z.object({
  id: z.string(),
  suggestionId: z.string().nullable(),
  subject: z.string(),
  body: z.string(),
  deliveredAt: z.string(),
});
const noticePage = z.object({ items: z.array(notice), nextCursor: z.string().nullable() });

const cursorShape = z.object({ at: z.iso.datetime(), id: z.string().min(1).max(300) }).strict();

export function departmentNoticeRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/departments/:code/notices',
      summary: "A department's online notices, newest first: assignments, reminders, opinions asked and given, follow-up checks, campaign shares",
      tag: 'handling',
      access: ['department', 'office', 'supervisor'],
      params: departmentCodeParams,
      query: noticeQuery,
      responses: {
        200: { description: 'A page of notices', schema: noticePage },
        400: { description: 'Invalid query or cursor', schema: problemDocument },
        403: { description: "Another department's notices", schema: problemDocument },
      },
    },
    async ({ params, query, req, res }) => {
      const staff = req.staff!;
      if (staff.role === 'department' && staff.departmentCode !== params.code) {
        throw new Problem(403, 'forbidden', 'Not allowed', 'a department sees only its own notices');
      }
      const after = query.cursor ? decodeCursor(query.cursor) : undefined;
      const rows = await ctx.db.mailboxMessage.findMany({
        where: {
          recipient: `department:${params.code}`,
          adapter: 'online',
          ...(after ? { OR: [{ deliveredAt: { lt: new Date(after.at) } }, { deliveredAt: new Date(after.at), id: { lt: after.id } }] } : {}),
        },
        orderBy: [{ deliveredAt: 'desc' }, { id: 'desc' }],
        take: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      res.json({
        items: page.map((r) => ({ id: r.id, suggestionId: r.suggestionId, subject: r.subject, body: r.body, deliveredAt: r.deliveredAt.toISOString() })),
        nextCursor:
          rows.length > query.limit && last ? Buffer.from(JSON.stringify({ at: last.deliveredAt.toISOString(), id: last.id })).toString('base64url') : null,
      });
    },
  );

  return router;
}

function decodeCursor(text: string): z.infer<typeof cursorShape> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const cursor = cursorShape.safeParse(parsed);
  if (!cursor.success) throw new Problem(400, 'invalid-cursor', 'Invalid cursor', 'the cursor is not one this API returned');
  return cursor.data;
}
