import { Router } from 'express';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { boardPage, boardQuery, readBoard } from '../public-board';
import { publicCache } from '../response-headers';
import { problemDocument } from '../schemas';

// 公开反馈: the public board's JSON endpoint; the rows and what they may show are in public-board.ts.

export function publicRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/public/suggestions',
      summary: "The public board: adopted suggestions published with their proposer's consent, newest decision first",
      tag: 'public',
      access: 'public',
      query: boardQuery,
      // The same rows for everyone, never the proposer: a minute in a cache is fine.
      cache: publicCache,
      responses: {
        200: { description: 'A page of the board', schema: boardPage },
        400: { description: 'Invalid filter', schema: problemDocument },
      },
    },
    async ({ query, res }) => {
      res.json(await readBoard(ctx.db, query, ctx.profile!.current));
    },
  );

  return router;
}
