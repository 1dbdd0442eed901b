import express from 'express';
import { identifyStaff } from './auth';
import type { ApiContext } from './context';
import { refuseControlCharactersInBody, refuseControlCharactersInUrl } from './control-characters';
import { docsRoutes } from './docs';
import { EndpointRegistry } from './endpoint';
import { metricsRoutes } from './metrics';
import { openApiDocument } from './openapi';
import { ProfileStore } from './profile-store';
import { publicPages } from './pages';
import { notFound, requireJsonBody } from './problem';
import { problemHandler } from './problem-handler';
import { requestLog } from './request-log';
import { responseHeaders } from './response-headers';
import { RoutingForecast } from './routing-forecast';
import { adminRoutes } from './routes/admin';
import { attachmentRoutes } from './routes/attachments';
import { awardRoutes } from './routes/awards';
import { calendarYearRoutes } from './routes/calendar-years';
import { campaignResultRoutes } from './routes/campaign-results';
import { campaignRoutes } from './routes/campaigns';
import { codecAuditRoutes } from './routes/codec-audit';
import { codecRoutes } from './routes/codec';
import { collectionRoutes } from './routes/collections';
import { departmentNoticeRoutes } from './routes/department-notices';
import { departmentRoutes } from './routes/departments';
import { extensionRequestRoutes } from './routes/extension-requests';
import { handlingRoutes } from './routes/handling';
import { healthRoutes } from './routes/health';
import { implementationRoutes } from './routes/implementation';
import { handoverRoutes } from './routes/handover';
import { open311Routes } from './routes/open311';
import { mergingRoutes } from './routes/merging';
import { proposerTrackingRoutes } from './routes/proposer';
import { profileRoutes } from './routes/profile';
import { proposerRoutes } from './routes/proposers';
import { publicRoutes } from './routes/public';
import { statisticsRoutes } from './routes/statistics';
import { streetRoutes } from './routes/streets';
import { suggestionRoutes } from './routes/suggestions';
import { triageRoutes } from './routes/triage';
import { routingRuleRoutes } from './routes/routing-rules';
import { similarityRoutes } from './routes/similarity';
import { timeSettingRoutes } from './routes/time-settings';
import { workbench } from './workbench';
import { uploadRoutes } from './routes/uploads';

export function createApp(ctx: ApiContext, log: (err: unknown) => void = console.error): express.Express {
  return createApi(ctx, log).app;
}

/** The app and the registry of its endpoints, which the OpenAPI document and the role-matrix test read. */
export function createApi(ctx: ApiContext, log: (err: unknown) => void = console.error) {
  ctx.profile ??= ProfileStore.fromFile(ctx.db, (err) =>
    ctx.logger?.warn({ err }, 'the city profile could not be read again: the one read before is served meanwhile'),
  );
  const profiles = ctx.profile;
  ctx.forecast ??= new RoutingForecast(
    ctx.db,
    undefined,
    (err) => ctx.logger?.warn({ err }, 'intake starts workflows without a routing forecast meanwhile: the reference data could not be read'),
    () => profiles.current.timeLimitDefaults(),
  );
  const app = express();
  const registry = new EndpointRegistry(ctx.rateLimits, ctx.rateLimitCounter, profiles);
  app.disable('x-powered-by');
  app.use(responseHeaders);
  app.use(metricsRoutes(ctx.temporalCalls ? [ctx.temporalCalls.registry] : [], ctx.metricsToken));
  if (ctx.logger) app.use(requestLog(ctx.logger));
  app.use(refuseControlCharactersInUrl);
  app.use(healthRoutes(ctx));
  app.use(docsRoutes());
  // The citizens' HTML pages read their own form bodies, so they come before the JSON-only rule.
  app.use(publicPages(ctx, registry));
  // A method no endpoint at the path declares is 405 before any body is looked at.
  app.use(registry.refuseUndeclaredMethods());
  // Files come as multipart/form-data, read by the upload route itself.
  app.use(uploadRoutes(ctx, registry));
  // The staff workbench's pages and forms (/staff/), a client of this same API.
  app.use(workbench(ctx));
  app.use(open311Routes(ctx, registry));
  app.use(requireJsonBody);
  // The Temporal UI's codec endpoint reads larger bodies than the rest of the API, so it parses its own.
  app.use(codecRoutes(ctx, registry));
  app.use(express.json({ limit: '100kb' }));
  app.use(refuseControlCharactersInBody);
  app.use(identifyStaff(ctx.db, ctx.verifyToken, ctx.apiKeys));
  // One line per resource: each route file registers its endpoints with the registry.
  app.use(suggestionRoutes(ctx, registry));
  app.use(departmentRoutes(ctx, registry));
  app.use(departmentNoticeRoutes(ctx, registry));
  app.use(extensionRequestRoutes(ctx, registry));
  app.use(handlingRoutes(ctx, registry));
  app.use(triageRoutes(ctx, registry));
  app.use(mergingRoutes(ctx, registry));
  app.use(handoverRoutes(ctx, registry));
  app.use(routingRuleRoutes(ctx, registry));
  app.use(timeSettingRoutes(ctx, registry));
  app.use(calendarYearRoutes(ctx, registry));
  app.use(proposerRoutes(ctx, registry));
  app.use(statisticsRoutes(ctx, registry));
  app.use(adminRoutes(ctx, registry));
  app.use(profileRoutes(ctx, registry));
  app.use(codecAuditRoutes(ctx, registry));
  app.use(implementationRoutes(ctx, registry));
  app.use(proposerTrackingRoutes(ctx, registry));
  app.use(publicRoutes(ctx, registry));
  app.use(similarityRoutes(ctx, registry));
  app.use(campaignRoutes(ctx, registry));
  app.use(collectionRoutes(ctx, registry));
  app.use(awardRoutes(ctx, registry));
  app.use(campaignResultRoutes(ctx, registry));
  app.use(attachmentRoutes(ctx, registry));
  app.use(streetRoutes(ctx, registry));
  // The document lists the profile's codes as enums: made again when the administrator changes the profile.
  let document = { version: -1, content: {} as Record<string, unknown> };
  app.get('/openapi.json', (_req, res) => {
    const profile = profiles.current;
    if (document.version !== profile.version) document = { version: profile.version, content: openApiDocument(registry.endpoints, profile) };
    res.json(document.content);
  });
  app.use(registry.methodNotAllowed());
  app.use(notFound);
  app.use(problemHandler(log));
  return { app, endpoints: registry.endpoints };
}
