import { Router } from 'express';
import type { ApiContext } from '../context';

/** 200 only when both Temporal and the database answer; says which one does not otherwise. */
export function healthRoutes(ctx: ApiContext): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const [temporal, database] = await Promise.all([
      probe(() => ctx.temporal.workflowService.getSystemInfo({})),
      probe(() => ctx.db.$queryRaw`SELECT 1`),
    ]);
    const calendarYears = database === 'ok' ? (await ctx.db.calendarYear.findMany({ select: { year: true } })).map((y) => y.year) : [];
    const thisYear = new Date().getUTCFullYear();
    const warnings = database === 'ok' && !calendarYears.includes(thisYear) ? [`no working-day calendar for ${thisYear}: working-day deadlines cannot be computed`] : [];
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
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]).finally(() => clearTimeout(timer));
}
