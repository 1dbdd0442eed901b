import type { AddressInfo } from 'node:net';
import express, { Router } from 'express';
import { z } from 'zod';
import { EndpointRegistry } from '../../api/endpoint';
import { openApiDocument } from '../../api/openapi';
import { notFound } from '../../api/problem';
import { problemHandler } from '../../api/problem-handler';

// One description per endpoint: what it validates (path, query, headers) is what the document
// says, and a known path with an unknown method is a 405 naming the allowed ones.

function build() {
  const registry = new EndpointRegistry();
  const router = Router();
  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/things/:id',
      summary: 'A thing, for the holder of its token',
      tag: 'things',
      access: 'public',
      params: z.object({ id: z.string().regex(/^[a-z]+$/) }),
      headers: z.object({ 'x-thing-token': z.string().min(8) }),
      responses: { 200: { description: 'The thing', schema: z.object({ id: z.string() }) } },
    },
    async ({ params, res }) => {
      res.json({ id: params.id });
    },
  );
  const app = express();
  app.use(router);
  app.use(registry.methodNotAllowed());
  app.use(notFound);
  app.use(problemHandler(() => undefined));
  return { app, registry };
}

test('header parameters are documented with the path and query ones and enforced', async () => {
  const { app, registry } = build();
  const doc = openApiDocument(registry.endpoints) as {
    paths: Record<string, { get: { parameters: { name: string; in: string; required: boolean }[]; responses: Record<string, unknown> } }>;
  };
  const operation = doc.paths['/v1/things/{id}'].get;
  expect(operation.parameters.map((p) => [p.in, p.name, p.required])).toEqual([
    ['path', 'id', true],
    ['header', 'x-thing-token', true],
  ]);
  expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '429']));

  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const missing = await fetch(`${base}/v1/things/abc`);
    expect(missing.status).toBe(400);
    const problem = (await missing.json()) as { errors: { field: string }[] };
    expect(problem.errors[0].field).toBe('header.x-thing-token');
    expect((await fetch(`${base}/v1/things/abc`, { headers: { 'x-thing-token': 'long enough' } })).status).toBe(200);
    const wrongMethod = await fetch(`${base}/v1/things/abc`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${base}/v1/other`)).status).toBe(404);
  } finally {
    server.close();
  }
});
