import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { trackingNumberPattern, workflowIdFor } from '../domain/tracking-number';
import type { Logger } from '../telemetry/log';
import { routePattern } from './metrics';

/** A caller's own request id is kept when it looks like one; anything else is replaced. */
const acceptableRequestId = /^[\w.:-]{8,100}$/;
const trackingNumberInPath = /JY-\d{8}-[0-9A-Z]{6}/;

/**
 * One log line per answered request: request id (echoed in `x-request-id`), method, route
 * pattern, status and duration, and for a suggestion's endpoints its tracking number and
 * workflow id. Never the body, the query or the headers: they carry the proposer's details
 * and credentials.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const offered = req.get('x-request-id');
    const requestId = offered && acceptableRequestId.test(offered) ? offered : randomUUID();
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    // Intake learns the tracking number only when it answers: take it from the answer.
    let answered: string | undefined;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      const number = (body as { trackingNumber?: unknown } | null)?.trackingNumber;
      if (typeof number === 'string' && trackingNumberPattern.test(number)) answered = number;
      return json(body);
    };
    res.once('finish', () => {
      const trackingNumber = trackingNumberInPath.exec(req.path)?.[0] ?? answered;
      logger.info(
        {
          requestId,
          method: req.method,
          route: routePattern(req),
          status: res.statusCode,
          durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
          ...(trackingNumber ? { trackingNumber, workflowId: workflowIdFor(trackingNumber) } : {}),
        },
        'request',
      );
    });
    next();
  };
}
