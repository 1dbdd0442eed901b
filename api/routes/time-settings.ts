import { Router } from 'express';
import { z } from 'zod';
import { defaultSetting, settingSteps, settingUnits, timeSettingProblem, type SettingStep, type TimeSettingValue } from '../../domain/time-settings';
import { categories, channels } from '../../domain/vocabulary';
import type { Database } from '../../prisma/client';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { Problem } from '../problem';
import { problemDocument } from '../schemas';
import type { StaffIdentity } from '../staff-identity';

// The collection office's time limits (时限): handling steps per channel and category, the rating
// window, the milestones' grace before escalation, the follow-up check. Every change is audited
// with who made it and the value before and after. A suggestion keeps the limits it arrived
// under: the workflow reads them once, at its start.

const stepParams = z.object({ step: z.enum(settingSteps) });
const scope = {
  channel: z.enum(channels).nullable().default(null),
  category: z.enum(categories).nullable().default(null),
};
const settingBody = z.object({ ...scope, amount: z.number().int().min(1).max(365), unit: z.enum(settingUnits) }).strict();
const scopeQuery = z.object({ channel: z.enum(channels).optional(), category: z.enum(categories).optional() }).strict();

const setting = z.object({
  id: z.number().int(),
  step: z.enum(settingSteps),
  channel: z.enum(channels).nullable(),
  category: z.enum(categories).nullable(),
  amount: z.number().int(),
  unit: z.string(),
  updatedAt: z.string(),
});
const value = z.object({ amount: z.number().int(), unit: z.string() });
const change = z.object({
  id: z.number().int(),
  step: z.string(),
  channel: z.string().nullable(),
  category: z.string().nullable(),
  /** null: there was no setting (the default applied). */
  previous: value.nullable(),
  /** null: the setting was removed (the default applies again). */
  current: value.nullable(),
  changedBy: z.object({ label: z.string(), keyId: z.string(), role: z.string() }),
  changedAt: z.string(),
});
const changeResult = z.object({ setting: setting.nullable(), change: change.nullable() });
const changesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), beforeId: z.coerce.number().int().min(1).max(2_147_483_647).optional() }).strict();

type SettingRow = Awaited<ReturnType<Database['timeLimitSetting']['findMany']>>[number];
type ChangeRow = Awaited<ReturnType<Database['timeSettingChange']['findMany']>>[number];

const shapeSetting = (r: SettingRow) => ({ id: r.id, step: r.step, channel: r.channel, category: r.category, amount: r.amount, unit: r.unit, updatedAt: r.updatedAt.toISOString() }) as z.infer<typeof setting>;
const shapeChange = (c: ChangeRow): z.infer<typeof change> => ({
  id: c.id,
  step: c.step,
  channel: c.channel,
  category: c.category,
  previous: c.previousAmount === null ? null : { amount: c.previousAmount, unit: c.previousUnit ?? '' },
  current: c.amount === null ? null : { amount: c.amount, unit: c.unit ?? '' },
  changedBy: { label: c.changedBy, keyId: c.changedByKeyId, role: c.changedByRole },
  changedAt: c.changedAt.toISOString(),
});

/** Settings changes are serialised, so two offices changing one scope at once both land in the audit in order. */
const settingsLock = 7_310_001;

export function timeSettingRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/time-settings',
      summary: "The office's time limits: each step's default and the settings that override it",
      tag: 'time limits',
      access: ['office', 'supervisor', 'admin'],
      responses: {
        200: {
          description: 'Defaults and settings',
          schema: z.object({ defaults: z.array(z.object({ step: z.enum(settingSteps), amount: z.number().int(), unit: z.string() })), settings: z.array(setting) }),
        },
      },
    },
    async ({ res }) => {
      const rows = await ctx.db.timeLimitSetting.findMany({ orderBy: [{ step: 'asc' }, { id: 'asc' }] });
      res.json({ defaults: settingSteps.map((step) => ({ step, ...defaultSetting(step) })), settings: rows.map(shapeSetting) });
    },
  );

  registry.add(
    router,
    {
      method: 'put',
      path: '/v1/time-settings/:step',
      summary: 'Set the time limit of a step, for a channel and category or for any (null); suggestions arriving from now on follow it',
      tag: 'time limits',
      access: ['office', 'admin'],
      params: stepParams,
      body: settingBody,
      responses: {
        200: { description: 'Changed (or already so: nothing is recorded)', schema: changeResult },
        201: { description: 'Set where the default applied before', schema: changeResult },
        422: { description: 'A unit or scope the step does not take, or too long a limit', schema: problemDocument },
      },
    },
    async ({ params, body, req, res }) => {
      const wanted: TimeSettingValue = { step: params.step, ...body };
      const problem = timeSettingProblem(wanted);
      if (problem) throw new Problem(422, 'invalid-time-setting', 'Invalid time setting', problem);
      const result = await ctx.db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${settingsLock})`;
        const where = { step: params.step, channel: body.channel, category: body.category };
        const existing = await tx.timeLimitSetting.findFirst({ where, orderBy: { id: 'asc' } });
        if (existing && existing.amount === body.amount && existing.unit === body.unit) return { created: false, setting: existing, change: null };
        const saved = existing
          ? await tx.timeLimitSetting.update({ where: { id: existing.id }, data: { amount: body.amount, unit: body.unit } })
          : await tx.timeLimitSetting.create({ data: { ...where, amount: body.amount, unit: body.unit } });
        const audit = await tx.timeSettingChange.create({
          data: { ...where, previousAmount: existing?.amount ?? null, previousUnit: existing?.unit ?? null, amount: body.amount, unit: body.unit, ...changedBy(req.staff!) },
        });
        return { created: !existing, setting: saved, change: audit };
      });
      ctx.forecast?.forget();
      res.status(result.created ? 201 : 200).json({ setting: shapeSetting(result.setting), change: result.change && shapeChange(result.change) });
    },
  );

  registry.add(
    router,
    {
      method: 'delete',
      path: '/v1/time-settings/:step',
      summary: "Remove the setting of a step for a channel and category (absent: any), so the default applies to suggestions arriving from now on",
      tag: 'time limits',
      access: ['office', 'admin'],
      params: stepParams,
      query: scopeQuery,
      responses: {
        200: { description: 'Removed', schema: changeResult },
        404: { description: 'No such setting', schema: problemDocument },
      },
    },
    async ({ params, query, req, res }) => {
      const where = { step: params.step as SettingStep, channel: query.channel ?? null, category: query.category ?? null };
      const audit = await ctx.db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${settingsLock})`;
        const existing = await tx.timeLimitSetting.findMany({ where, orderBy: { id: 'asc' } });
        if (existing.length === 0) return null;
        await tx.timeLimitSetting.deleteMany({ where: { id: { in: existing.map((e) => e.id) } } });
        return tx.timeSettingChange.create({ data: { ...where, previousAmount: existing[0].amount, previousUnit: existing[0].unit, amount: null, unit: null, ...changedBy(req.staff!) } });
      });
      ctx.forecast?.forget();
      if (!audit) throw new Problem(404, 'not-found', 'Not found', `no ${where.step} setting for channel ${where.channel ?? 'any'} and category ${where.category ?? 'any'}`);
      res.json({ setting: null, change: shapeChange(audit) });
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      // Not under /v1/time-settings/: there a path segment names a step for PUT and DELETE.
      path: '/v1/time-setting-changes',
      summary: 'Who changed which time limit, when, from what to what; newest first (pass the last id as beforeId for more)',
      tag: 'time limits',
      access: ['office', 'supervisor', 'admin'],
      query: changesQuery,
      responses: { 200: { description: 'A page of changes', schema: z.object({ items: z.array(change) }) } },
    },
    async ({ query, res }) => {
      const rows = await ctx.db.timeSettingChange.findMany({ where: query.beforeId ? { id: { lt: query.beforeId } } : {}, orderBy: { id: 'desc' }, take: query.limit });
      res.json({ items: rows.map(shapeChange) });
    },
  );

  return router;
}

function changedBy(staff: StaffIdentity) {
  return { changedBy: staff.label, changedByKeyId: staff.keyId, changedByRole: staff.role };
}
