import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { withProfile } from '../domain/profile-codes';
import type { StaffRole } from '../domain/vocabulary';
import { requireRole } from './auth';
import { Problem } from './problem';
import { defaultRateLimits, rateLimiter, type RateLimits, type WindowCounter } from './rate-limit';
import type { ProfileStore } from './profile-store';
import { parse } from './validate';

/**
 * One endpoint, described once: the router validates requests with these schemas and the
 * OpenAPI document is generated from the same description.
 */
export interface EndpointSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string; // express style, e.g. /v1/suggestions/:id
  summary: string;
  tag: string;
  /** Staff roles allowed; 'public' means anyone, with or without a key. */
  access: 'public' | StaffRole[];
  params?: P;
  query?: Q;
  body?: B;
  /** Request headers the endpoint reads, lower-case names (e.g. a proposer's tracking token); documented and validated. */
  headers?: z.ZodObject;
  /** A multipart/form-data body instead of JSON: its file field and what it takes (the handler reads it). */
  upload?: { field: string; description: string; mediaTypes: readonly string[] };
  /** `media`: the answer is a file of one of these types, not JSON. */
  responses: Record<number, { description: string; schema?: z.ZodType; media?: readonly string[] }>;
  /**
   * Cache-Control of its answers when they may be kept (the public board); unset: `no-store`, as
   * for every answer that carries a suggestion's content or personal data (response-headers.ts).
   */
  cache?: string;
}

export interface ParsedRequest<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
}

export type AnyEndpoint = EndpointSpec<z.ZodType, z.ZodType, z.ZodType>;

export class EndpointRegistry {
  readonly endpoints: AnyEndpoint[] = [];
  private readonly publicIntake: RequestHandler;
  private readonly publicReads: RequestHandler;

  constructor(
    limits: RateLimits = defaultRateLimits,
    counter?: WindowCounter,
    /** The city profile the codes in requests are checked against (domain/profile-codes.ts). */
    readonly profiles?: ProfileStore,
  ) {
    this.publicIntake = rateLimiter('intake', limits.intake, counter);
    this.publicReads = rateLimiter('reads', limits.reads, counter);
  }

  add<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
    router: Router,
    spec: EndpointSpec<P, Q, B>,
    handler: (r: ParsedRequest<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>,
  ): void {
    this.endpoints.push(spec as unknown as AnyEndpoint);
    router[spec.method](spec.path, this.guardFor(spec), async (req, res) => {
      if (spec.cache) res.setHeader('Cache-Control', spec.cache);
      const parseAll = () => {
        if (spec.headers) parse(spec.headers, req.headers, 'header');
        const params = spec.params ? parse(spec.params, req.params, 'path') : req.params;
        const query = spec.query ? parse(spec.query, req.query, 'query') : {};
        const body = spec.body ? parse(spec.body, req.body ?? {}, 'body') : undefined;
        return { params, query, body };
      };
      const parsed = this.profiles ? withProfile(this.profiles.current, parseAll) : parseAll();
      await handler({ ...parsed, req, res } as ParsedRequest<z.output<P>, z.output<Q>, z.output<B>>);
    });
  }

  /** Public endpoints are rate-limited per client (staff pass freely); staff endpoints check the role. */
  private guardFor(spec: { method: string; access: AnyEndpoint['access'] }): RequestHandler {
    if (spec.access !== 'public') return requireRole(...spec.access);
    return this.publicLimiter(spec.method);
  }

  /** The per-client limit for public reads or writes; the public web pages count against the same quota. */
  publicLimiter(method: string): RequestHandler {
    return method.toLowerCase() === 'get' ? this.publicReads : this.publicIntake;
  }

  /**
   * Answers 405 with an Allow header when the path is known but the method is not; mounted after
   * every route, so a request reaching it matched no route at all.
   */
  methodNotAllowed(): RequestHandler {
    return (req, res, next) => {
      const allow = this.allowedAt(req.path);
      if (allow.length === 0) return next();
      res.setHeader('Allow', allow.join(', '));
      next(new Problem(405, 'method-not-allowed', 'Method not allowed', `${req.method} is not allowed here; allowed: ${allow.join(', ')}`));
    };
  }

  /**
   * The same 405 before anything reads the request: a method no endpoint at the path declares is
   * refused as such, not for its body's media type (a TRACE with a multipart body got 415).
   * Paths no endpoint names go on (the pages, the workbench, 404).
   */
  refuseUndeclaredMethods(): RequestHandler {
    const methodNotAllowed = this.methodNotAllowed();
    return (req, res, next) => {
      const allow = this.allowedAt(req.path);
      if (allow.length === 0 || allow.includes(req.method) || req.method === 'OPTIONS') return next();
      methodNotAllowed(req, res, next);
    };
  }

  /** The methods the endpoints at a path answer, HEAD with GET. */
  private allowedAt(path: string): string[] {
    const allowed = this.endpoints.filter((e) => pathPattern(e.path).test(path)).map((e) => e.method.toUpperCase());
    return [...new Set(allowed.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])))];
  }
}

function pathPattern(path: string): RegExp {
  const escaped = path.split(/(:[A-Za-z]+)/).map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${escaped.join('')}/?$`);
}
