import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { databaseRetryAfterSeconds, databaseUnavailable, Problem } from '../problem';
import { boardPage } from './board';
import { campaignsPage } from './campaigns';
import { elderModeOf, elderRoutes } from './elder';
import { langOf, t, type MessageKey } from './i18n';
import { defaultSite, href, html, layout, sendPage, useSite } from './layout';
import { receiptRoutes } from './receipt';
import { statusPage } from './status';
import { submitPage } from './submit';

// The citizens' pages (公开页面): server-rendered HTML beside the JSON API, readable without
// JavaScript. They are not API endpoints, so they stay out of /openapi.json; they share the
// public endpoints' per-client limits, and their forms are accepted only from these pages.

/** Each page's path and the methods it answers. */
const pagePaths: Record<string, string> = {
  '/': 'GET, HEAD',
  '/board': 'GET, HEAD',
  '/campaigns': 'GET, HEAD',
  '/submit': 'GET, HEAD, POST',
  '/status': 'GET, HEAD, POST',
  '/status/rating': 'POST',
  '/status/attachment': 'POST',
  '/receipt': 'POST',
  '/elder': 'GET, HEAD',
};

/** The pages a reader can be sent back to after a switch: those answering GET. */
const readablePages = Object.keys(pagePaths).filter((path) => pagePaths[path].includes('GET') && path !== '/elder');

export function publicPages(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  const reads = registry.publicLimiter('get');
  // The form's own encoding: the content of a long suggestion in Chinese is nine bytes a character.
  const formBody = express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 40 });
  const writes = [refuseCrossSite, registry.publicLimiter('post'), formBody];
  const help = ctx.helpLine ?? defaultSite.help;

  router.use(
    Object.keys(pagePaths),
    useSite((req) => ({ help, elder: elderModeOf(req) })),
  );
  router.get('/', reads, (req, res) => res.redirect(href(langOf(req), '/board')));
  router.use(
    boardPage(ctx, reads),
    campaignsPage(ctx, reads),
    submitPage(ctx, reads, writes),
    statusPage(ctx, reads, writes),
    receiptRoutes(ctx, writes),
    elderRoutes(reads, readablePages),
  );
  for (const [path, allow] of Object.entries(pagePaths)) {
    router.all(path, (req, res, next) => {
      res.setHeader('Allow', allow);
      next(new Problem(405, 'method-not-allowed', 'Method not allowed', `${req.method} is not allowed here; allowed: ${allow}`));
    });
  }
  router.use(errorPage);
  return router;
}

/**
 * Cross-site request forgery: a browser says where a form comes from (Sec-Fetch-Site, or Origin
 * and Referer in older ones), and a form sent from another site is refused. A client that sends
 * none of them is not a browser acting for someone else.
 */
export function sentFromThisSite(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  const from = req.get('origin') ?? req.get('referer');
  if (!from) return true;
  try {
    return new URL(from).host === req.get('host');
  } catch {
    return false;
  }
}

const refuseCrossSite: RequestHandler = (req, _res, next) => {
  if (sentFromThisSite(req)) return next();
  next(new Problem(403, 'cross-site-form', 'Form from another site', 'this form can only be sent from this website'));
};

const messageFor: Record<number, MessageKey> = { 403: 'forbiddenOrigin', 404: 'pageNotFound', 429: 'tooMany', 503: 'unavailable' };

/**
 * A refusal on a page is a page too, in the reader's language, and so is "try again later" (503,
 * with its Retry-After); anything unexpected goes on to the API's handler, which logs it.
 */
const errorPage: ErrorRequestHandler = (err, req, res, next) => {
  const status = databaseUnavailable(err) ? 503 : err instanceof Problem ? err.status : (err as { status?: number })?.status;
  if (res.headersSent || !status || (status >= 500 && status !== 503)) return next(err);
  if (status === 503) res.setHeader('Retry-After', String(databaseRetryAfterSeconds));
  if (err instanceof Problem) for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  const lang = langOf(req);
  const message = messageFor[status] ? t(lang, messageFor[status]) : `${t(lang, 'errOther')} (${status})`;
  const path = req.method === 'GET' && pagePaths[req.path]?.includes('GET') ? req.path : '/board';
  sendPage(res, layout({ lang, title: t(lang, 'errorTitle'), path, body: html`<p class="alert" role="alert">${message}</p>` }), { status, personal: true });
};
