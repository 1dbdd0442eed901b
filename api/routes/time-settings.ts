import { Router } from 'express';
import { z } from 'zod';
import { defaultSetting, settingSteps, settingUnits, timeSettingProblem, type SettingStep, type TimeSettingValue } from '../../domain/time-settings';
import { categoryCode, newCategoryCode } from '../../domain/profile-codes';
import { channels } from '../../domain/vocabulary';
import type { Database } from '../../prisma/client';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { Problem } from '../problem';
import { outsideJurisdiction, staffScope } from '../jurisdiction-scope';
import { problemDocument } from '../schemas';
import type { StaffIdentity } from '../staff-identity';

// The collection office's time limits (时限): handling steps per channel and category, the rating
// window, the milestones' grace before escalation, the follow-up check. Every change is audited
// with who made it and the value before and after. A suggestion keeps the limits it arrived
// under: the workflow reads them once, at its start.

const stepParams = z.object({ step: z.enum(settingSteps).describe('the step whose time limit this is (route, respond, rating …)') });
const scope = {
  channel: z.enum(channels).nullable().default(null).describe('only for suggestions from this channel; null: any channel'),
  category: newCategoryCode.nullable().default(null).describe('only for suggestions of this category; null: any category'),
};
const settingBody = z
  .object({
    ...scope,
    amount: z
      .number()
      .int()
      .min(1)
      .max(365)
      .describe('how long the step may take, in the unit (1–365)')
      .meta({ examples: [20] }),
    unit: z.enum(settingUnits).describe('working_days, calendar_days, or months for the follow-up check'),
  })
  .strict()
  .describe("The office's time limit for a step, city-wide or for a channel and category")
  .meta({ examples: [{ channel: 'hotline', category: 'transport', amount: 5, unit: 'working_days' }] });
const scopeQuery = z.object({ channel: z.enum(channels).optional(), category: categoryCode.optional() }).strict();

const setting = z
  .object({
    id: z.number().int().describe("the setting's id"),
    step: z.enum(settingSteps).describe('the step it limits'),
    channel: z.enum(channels).nullable().describe('the channel it applies to; null: any'),
    category: categoryCode.nullable().describe('the category it applies to; null: any'),
    amount: z.number().int().describe('how long, in the unit'),
    unit: z.string().describe('working_days, calendar_days or months'),
    updatedAt: z.string().describe('when it was last changed (ISO 8601, UTC)'),
    jurisdiction: z.string().describe("the level whose office set it: city (every suggestion) or a district (that district's, over the city's)"),
  })
  .describe('A time limit the office set');
const value = z.object({ amount: z.number().int().describe('how long, in the unit'), unit: z.string().describe('working_days, calendar_days or months') });
const change = z
  .object({
    id: z.number().int().describe("the change's id, in the order of the audit"),
    step: z.string().describe('the step whose limit changed'),
    channel: z.string().nullable().describe('the channel of the setting; null: any'),
    category: z.string().nullable().describe('the category of the setting; null: any'),
    jurisdiction: z.string().describe('the level whose setting it is: city or a district'),
    /** null: there was no setting (the default applied). */
    previous: value.nullable().describe('the limit before; null: there was no setting (the default applied)'),
    /** null: the setting was removed (the default applies again). */
    current: value.nullable().describe('the limit after; null: the setting was removed (the default applies again)'),
    changedBy: z
      .object({
        label: z.string().describe('the label of the key or the name in the token'),
        keyId: z.string().describe('the key or token that made it'),
        role: z.string().describe('its staff role'),
      })
      .describe('who made the change'),
    changedAt: z.string().describe('when (ISO 8601, UTC)'),
  })
  .describe('One change of a time limit, as the audit keeps it');
const changeResult = z
  .object({
    setting: setting.nullable().describe('the setting now; null when it was removed'),
    change: change.nullable().describe('the change recorded; null when nothing changed'),
  })
  .describe('The setting after the change, and the change as the audit records it')
  .meta({
    examples: [
      {
        setting: {
          id: 3,
          step: 'respond',
          channel: 'hotline',
          category: 'transport',
          amount: 5,
          unit: 'working_days',
          updatedAt: '2026-11-20T02:00:00.000Z',
          jurisdiction: 'city',
        },
        change: {
          id: 12,
          step: 'respond',
          channel: 'hotline',
          category: 'transport',
          jurisdiction: 'city',
          previous: null,
          current: { amount: 5, unit: 'working_days' },
          changedBy: { label: '征集办 时限管理', keyId: 'key-office-desk-2', role: 'office' },
          changedAt: '2026-11-20T02:00:00.000Z',
        },
      },
    ],
  });
const changesQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(200).default(50), beforeId: z.coerce.number().int().min(1).max(2_147_483_647).optional() })
  .strict();

type SettingRow = Awaited<ReturnType<Database['timeLimitSetting']['findMany']>>[number];
type ChangeRow = Awaited<ReturnType<Database['timeSettingChange']['findMany']>>[number];

const shapeSetting = (r: SettingRow) =>
  ({
    id: r.id,
    step: r.step,
    channel: r.channel,
    category: r.category,
    amount: r.amount,
    unit: r.unit,
    updatedAt: r.updatedAt.toISOString(),
    jurisdiction: r.jurisdiction,
  }) as z.infer<typeof setting>;
const shapeChange = (c: ChangeRow): z.infer<typeof change> => ({
  id: c.id,
  step: c.step,
  channel: c.channel,
  category: c.category,
  jurisdiction: c.jurisdiction,
  previous: c.previousAmount === null ? null : { amount: c.previousAmount, unit: c.previousUnit ?? '' },
  current: c.amount === null ? null : { amount: c.amount, unit: c.unit ?? '' },
  changedBy: { label: c.changedBy, keyId: c.changedByKeyId, role: c.changedByRole },
  changedAt: c.changedAt.toISOString(),
});

/** Settings changes are serialised, so two offices changing one scope at once both land in the audit in order. */
const settingsLock = 7_310_001;

export function timeSettingRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();

  /**
   * Settings belong to the level that set them (属地): a district's office sets its district's time
   * limits, over the city's (registration applies the district's after the city's), and sees the
   * city's and its own; the city's office and administrators set the city's. A street's office sets
   * none: its district's apply.
   */
  const settingLevel = (staff: StaffIdentity): string => {
    const scope = staffScope(staff, ctx.profile!.current);
    if (!scope) return 'city';
    if (scope.level !== 'district') throw outsideJurisdiction(`${scope.code} sets no time limits: its district's apply`);
    return scope.code;
  };
  const visibleLevels = (staff: StaffIdentity) => {
    const scope = staffScope(staff, ctx.profile!.current);
    return scope ? { jurisdiction: { in: ['city', scope.district!] } } : {};
  };

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
          schema: z.object({
            defaults: z.array(z.object({ step: z.enum(settingSteps), amount: z.number().int(), unit: z.string() })),
            settings: z.array(setting),
          }),
        },
      },
    },
    async ({ req, res }) => {
      const rows = await ctx.db.timeLimitSetting.findMany({ where: visibleLevels(req.staff!), orderBy: [{ step: 'asc' }, { id: 'asc' }] });
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
        403: { description: "Role not allowed, or a street's office (its district's limits apply)", schema: problemDocument },
        422: { description: 'A unit or scope the step does not take, or too long a limit', schema: problemDocument },
      },
    },
    async ({ params, body, req, res }) => {
      const wanted: TimeSettingValue = { step: params.step, ...body };
      const problem = timeSettingProblem(wanted);
      if (problem) throw new Problem(422, 'invalid-time-setting', 'Invalid time setting', problem);
      const jurisdiction = settingLevel(req.staff!);
      const result = await ctx.db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${settingsLock})`;
        const where = { step: params.step, channel: body.channel, category: body.category, jurisdiction };
        const existing = await tx.timeLimitSetting.findFirst({ where, orderBy: { id: 'asc' } });
        if (existing && existing.amount === body.amount && existing.unit === body.unit) return { created: false, setting: existing, change: null };
        const saved = existing
          ? await tx.timeLimitSetting.update({ where: { id: existing.id }, data: { amount: body.amount, unit: body.unit } })
          : await tx.timeLimitSetting.create({ data: { ...where, amount: body.amount, unit: body.unit } });
        const audit = await tx.timeSettingChange.create({
          data: {
            ...where,
            previousAmount: existing?.amount ?? null,
            previousUnit: existing?.unit ?? null,
            amount: body.amount,
            unit: body.unit,
            ...changedBy(req.staff!),
          },
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
      summary: 'Remove the setting of a step for a channel and category (absent: any), so the default applies to suggestions arriving from now on',
      tag: 'time limits',
      access: ['office', 'admin'],
      params: stepParams,
      query: scopeQuery,
      responses: {
        200: { description: 'Removed', schema: changeResult },
        403: { description: "Role not allowed, or a street's office (its district's limits apply)", schema: problemDocument },
        404: { description: 'No such setting', schema: problemDocument },
      },
    },
    async ({ params, query, req, res }) => {
      const where = {
        step: params.step as SettingStep,
        channel: query.channel ?? null,
        category: query.category ?? null,
        jurisdiction: settingLevel(req.staff!),
      };
      const audit = await ctx.db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${settingsLock})`;
        const existing = await tx.timeLimitSetting.findMany({ where, orderBy: { id: 'asc' } });
        if (existing.length === 0) return null;
        await tx.timeLimitSetting.deleteMany({ where: { id: { in: existing.map((e) => e.id) } } });
        return tx.timeSettingChange.create({
          data: { ...where, previousAmount: existing[0].amount, previousUnit: existing[0].unit, amount: null, unit: null, ...changedBy(req.staff!) },
        });
      });
      ctx.forecast?.forget();
      if (!audit)
        throw new Problem(
          404,
          'not-found',
          'Not found',
          `no ${where.step} setting for channel ${where.channel ?? 'any'} and category ${where.category ?? 'any'}`,
        );
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
    async ({ query, req, res }) => {
      const rows = await ctx.db.timeSettingChange.findMany({
        where: { ...(query.beforeId ? { id: { lt: query.beforeId } } : {}), ...visibleLevels(req.staff!) },
        orderBy: { id: 'desc' },
        take: query.limit,
      });
      res.json({ items: rows.map(shapeChange) });
    },
  );

  return router;
}

function changedBy(staff: StaffIdentity) {
  return { changedBy: staff.label, changedByKeyId: staff.keyId, changedByRole: staff.role };
}
