import { Router } from 'express';
import { missingCalendarYears } from '../../domain/calendar';
import type { ApiContext } from '../context';

/** 200 only when both Temporal and the database answer; says which one does not otherwise. */
export function healthRoutes(ctx: ApiContext): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const [temporal, database] = await Promise.all([probe(() => ctx.temporal.workflowService.getSystemInfo({})), probe(() => ctx.db.$queryRaw`SELECT 1`)]);
    const calendarYears = database === 'ok' ? (await ctx.db.calendarYear.findMany({ select: { year: true } })).map((y) => y.year) : [];
    const warnings =
      database === 'ok'
        ? missingCalendarYears(calendarYears, new Date()).map(
            (year) =>
              `no official holiday schedule for ${year} yet: deadlines reaching it are counted on the forecast and marked provisional until the office loads it (PUT /v1/calendar-years/${year} or npm run calendar -- load)`,
          )
        : [];
    const healthy = temporal === 'ok' && database === 'ok';
    res.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'unavailable', temporal, database, warnings });
  });
  return router;
}

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'unreachable'> {
  try {
    await withTimeout(check(), 3000);
    return 'ok';
  } catch {
    return 'unreachable';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}
