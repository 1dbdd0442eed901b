import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import type { StaffRole } from '../domain/vocabulary';
import { requireRole } from './auth';
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
  responses: Record<number, { description: string; schema?: z.ZodType }>;
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

  add<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
    router: Router,
    spec: EndpointSpec<P, Q, B>,
    handler: (r: ParsedRequest<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>,
  ): void {
    this.endpoints.push(spec as unknown as AnyEndpoint);
    const guards: RequestHandler[] = spec.access === 'public' ? [] : [requireRole(...spec.access)];
    router[spec.method](spec.path, ...guards, async (req, res) => {
      const params = spec.params ? parse(spec.params, req.params, 'path') : req.params;
      const query = spec.query ? parse(spec.query, req.query, 'query') : {};
      const body = spec.body ? parse(spec.body, req.body ?? {}, 'body') : undefined;
      await handler({ params, query, body, req, res } as ParsedRequest<z.output<P>, z.output<Q>, z.output<B>>);
    });
  }
}
