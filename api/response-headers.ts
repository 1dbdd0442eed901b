import type { RequestHandler } from 'express';

// Headers every answer carries. Browsers must not guess a JSON answer's type (a suggestion's text
// sniffed as HTML is a script on this origin), and no cache, a browser's or a proxy's, may keep an
// answer with a suggestion's content or a person's data: staff views, the proposer's tracking,
// the intake receipt with its token, and the refusals about them. An endpoint whose answer is
// public and the same for everyone says how long it may be kept (EndpointSpec.cache); the
// citizens' pages set their own (pages/layout.ts).

/** How long the public board and the list of open campaigns may be kept by a cache. */
export const publicCache = 'public, max-age=60';

export const responseHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
  next();
};
