import { Router, type Request, type RequestHandler } from 'express';

// 长辈版 (适老化, the MIIT's 2021 guidance on websites for older people): larger text and
// controls, black on white, one column. The pages send no script, so the choice is a cookie set
// by a plain link, /elder?on=1&back=<this page>, and every page reads it; the link leads back only
// to a page of this site, never elsewhere.

const cookieName = 'elder';
/** A year: someone who needs larger text still needs it next month. */
const keepSeconds = 365 * 24 * 3600;
const fallback = '/board';

/** Whether this request's reader chose the elder-friendly mode. */
export function elderModeOf(req: Request): boolean {
  return (req.get('cookie') ?? '').split(';').some((c) => c.trim() === `${cookieName}=1`);
}

/**
 * Where the switch leads back to: a path and query of one of this site's pages (`pages`), or the
 * board. Anything else (another site, a scheme-relative or backslashed path, an API path) is not
 * followed, so the link cannot send anyone away from the site.
 */
export function returnPath(back: unknown, pages: readonly string[]): string {
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (typeof back !== 'string' || !back.startsWith('/') || back.startsWith('//') || /[\\\u0000-\u001f]/.test(back)) return fallback;
  const base = 'http://this.site';
  let url: URL;
  try {
    url = new URL(back, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base || !pages.includes(url.pathname)) return fallback;
  return `${url.pathname}${url.search}`;
}

/** GET /elder?on=1|0&back=<path>: remembers the choice and goes back to the page it was made on. */
export function elderRoutes(reads: RequestHandler, pages: readonly string[]): Router {
  const router = Router();
  router.get('/elder', reads, (req, res) => {
    const on = req.query.on === '1';
    const attributes = `Path=/; HttpOnly; SameSite=Lax${req.secure ? '; Secure' : ''}`;
    res.setHeader('Set-Cookie', on ? `${cookieName}=1; Max-Age=${keepSeconds}; ${attributes}` : `${cookieName}=; Max-Age=0; ${attributes}`);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(303, returnPath(req.query.back, pages));
  });
  return router;
}
