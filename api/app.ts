import express from 'express';
import { identifyStaff } from './auth';
import type { ApiContext } from './context';
import { EndpointRegistry } from './endpoint';
import { openApiDocument } from './openapi';
import { notFound, problemHandler, Problem } from './problem';
import { codecRoutes } from './routes/codec';
import { awardRoutes } from './routes/awards';
import { campaignRoutes } from './routes/campaigns';
import { collectionRoutes } from './routes/collections';
import { departmentRoutes } from './routes/departments';
import { healthRoutes } from './routes/health';
import { proposerRoutes } from './routes/proposers';
import { suggestionRoutes } from './routes/suggestions';

export function createApp(ctx: ApiContext, log: (err: unknown) => void = console.error): express.Express {
  const app = express();
  const registry = new EndpointRegistry();
  app.disable('x-powered-by');
  app.use(healthRoutes(ctx));
  app.use((req, _res, next) => {
    const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0';
    if (hasBody && !req.is('application/json')) {
      return next(new Problem(415, 'unsupported-media-type', 'Unsupported media type', 'send the request body as application/json'));
    }
    next();
  });
  // The Temporal UI's codec endpoint reads larger bodies than the rest of the API, so it parses its own.
  app.use(codecRoutes(ctx, registry));
  app.use(express.json({ limit: '100kb' }));
  app.use(identifyStaff(ctx.db));
  app.use(suggestionRoutes(ctx, registry));
  app.use(departmentRoutes(ctx, registry));
  app.use(campaignRoutes(ctx, registry));
  app.use(collectionRoutes(ctx, registry));
  app.use(awardRoutes(ctx, registry));
  app.use(proposerRoutes(ctx, registry));
  const document = openApiDocument(registry.endpoints);
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use(notFound);
  app.use(problemHandler(log));
  return app;
}
