import type { RequestHandler } from 'express';
import { controlCharacterAt, controlCharacterInUrl, controlCharacterMessage } from '../domain/control-characters';
import { Problem } from './problem';

// A control character in a query string or a JSON body reached a PostgreSQL query and failed there
// as a 500 (domain/control-characters.ts). They are refused at the door with 400, once for every
// endpoint (and the citizens' pages' query strings), before any schema or handler sees them. The
// intake schema refuses them too, for the web form, whose body is read by its page.

function refusal(where: 'body' | 'query' | 'path', path: string[]): Problem {
  const field = [where, ...path].join('.');
  return new Problem(400, 'validation-failed', 'The request is not valid', `${field}: ${controlCharacterMessage}`, {
    errors: [{ field, message: controlCharacterMessage }],
  });
}

/** Refuses a path or query string with a control character in it (percent-encoded or not). */
export const refuseControlCharactersInUrl: RequestHandler = (req, _res, next) => {
  let path: string | undefined;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    // Broken percent-encoding: the router answers it (400 malformed-path).
  }
  if (path !== undefined && controlCharacterInUrl.test(path)) return next(refusal('path', []));
  const at = controlCharacterAt(req.query, controlCharacterInUrl);
  if (at) return next(refusal('query', at));
  next();
};

/** Refuses a JSON body with a control character in any string or key (tabs and line breaks are text). */
export const refuseControlCharactersInBody: RequestHandler = (req, _res, next) => {
  const at = req.body === undefined ? undefined : controlCharacterAt(req.body);
  if (at) return next(refusal('body', at));
  next();
};
