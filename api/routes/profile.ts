import { Router } from 'express';
import { z } from 'zod';
import {
  categorySchema,
  cityProfileSchema,
  departmentSchema,
  districtSchema,
  profileCodePattern,
  timeLimitSchema,
  type CityProfile,
  type CityProfileDocument,
} from '../../domain/profile';
import { channels } from '../../domain/vocabulary';
import { changeProfile, InvalidProfileChange, type ProfileEdit } from '../../prisma/profile-store';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { Problem } from '../problem';
import { problemDocument } from '../schemas';
import type { StaffIdentity } from '../staff-identity';

// The city profile through the API (domain/profile.ts): anyone reads it (the codes a request may
// name, with their names); the administrator adds and changes districts with their streets,
// categories, departments, channels and default time limits. Nothing is deleted: a category or a
// district is retired instead, so the suggestions that have it stay readable under its name.
// Every change is audited with who, when, and the entry before and after.

const codeParams = z.object({
  code: z
    .string()
    .regex(profileCodePattern, 'a code: lower-case letters, digits, _ and -, from a letter')
    .describe('the code, as requests name it')
    .meta({ examples: ['transport'] }),
});

const profileView = z
  .object({
    version: z.number().int().describe('bumped by every change'),
    profile: cityProfileSchema.describe('the profile document, as profiles/*.yaml write it'),
  })
  .describe('The city profile the service runs with');

const change = z
  .object({
    id: z.number().int().describe("the change's id, in the order of the audit"),
    path: z
      .string()
      .describe('what changed: categories/<code>, districts/<code>, departments/<code>, channels or timeLimits')
      .meta({ examples: ['categories/transport'] }),
    before: z.unknown().describe('the entry before; null: it was added'),
    after: z.unknown().describe('the entry after'),
    changedBy: z.object({ label: z.string(), keyId: z.string(), role: z.string() }).describe('who made the change'),
    changedAt: z.string().describe('when (ISO 8601, UTC)'),
  })
  .describe('One change of the profile, as the audit keeps it');
const changeResult = z.object({ version: z.number().int(), change: change.nullable().describe('the change recorded; null when nothing changed') });
const changesQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(200).default(50), beforeId: z.coerce.number().int().min(1).max(2_147_483_647).optional() })
  .strict();

const categoryBody = categorySchema
  .omit({ code: true })
  .describe('A category: its names, and whether it is retired')
  .meta({ examples: [{ name: '交通出行', nameEn: 'Transport', retired: false }] });
const districtBody = districtSchema
  .omit({ code: true })
  .describe('A district with its streets and towns (the whole list: a street left out is refused, retire it instead)')
  .meta({
    examples: [
      {
        name: '杨浦区',
        nameEn: 'Yangpu',
        divisionCode: '310110',
        retired: false,
        streets: [{ code: '310110019', name: '五角场街道', kind: 'subdistrict', retired: false }],
      },
    ],
  });
const departmentBody = departmentSchema
  .omit({ code: true })
  .describe('A department')
  .meta({ examples: [{ name: '上海市交通委员会', nameEn: 'Shanghai Municipal Transportation Commission', level: 'city' }] });
const channelsBody = z
  .object({ channels: z.array(z.enum(channels)).min(1).describe('the channels the city takes suggestions by') })
  .strict()
  .meta({ examples: [{ channels: ['web', 'hotline', 'letter', 'email', 'visit', 'station', 'campaign', 'open311'] }] });
const timeLimitsBody = z
  .object({ timeLimits: z.array(timeLimitSchema).max(200).describe("the defaults beneath the offices' settings") })
  .strict()
  .meta({ examples: [{ timeLimits: [{ step: 'respond', channel: null, category: null, amount: 30, unit: 'calendar_days' }] }] });

type Row = { id: number; path: string; before: unknown; after: unknown; changedBy: string; changedByKeyId: string; changedByRole: string; changedAt: Date };
const shapeChange = (c: Row) => ({
  id: c.id,
  path: c.path,
  before: c.before ?? null,
  after: c.after ?? null,
  changedBy: { label: c.changedBy, keyId: c.changedByKeyId, role: c.changedByRole },
  changedAt: c.changedAt.toISOString(),
});

const refusals = {
  200: { description: 'Changed (or already so: nothing is recorded)', schema: changeResult },
  201: { description: 'Added', schema: changeResult },
  422: { description: 'The profile would not be valid with it (e.g. a street left out, a department in no district)', schema: problemDocument },
};

/** Replaces or adds the entry with `code` in one of the profile's lists. */
function upsertIn<K extends 'categories' | 'districts' | 'departments'>(key: K, code: string, entry: object) {
  return (current: CityProfile): ProfileEdit | null => {
    const list = current.document[key] as { code: string }[];
    const before = list.find((e) => e.code === code) ?? null;
    const after = { code, ...entry };
    if (before && JSON.stringify(before) === JSON.stringify({ ...before, ...after })) return null;
    if (before && key === 'districts') {
      // A street the district had stays: it names past suggestions (retire it instead).
      const kept = new Set((after as unknown as { streets: { code: string }[] }).streets.map((s) => s.code));
      const dropped = (before as unknown as { streets: { code: string }[] }).streets.filter((s) => !kept.has(s.code)).map((s) => s.code);
      if (dropped.length)
        throw new Problem(
          422,
          'invalid-profile',
          'Invalid profile change',
          `streets ${dropped.join(', ')} are left out: a street is retired (retired: true), never removed`,
        );
    }
    const document = { ...current.document, [key]: before ? list.map((e) => (e.code === code ? after : e)) : [...list, after] } as CityProfileDocument;
    return { path: `${key}/${code}`, before, after, document };
  };
}

function replace<K extends 'channels' | 'timeLimits'>(key: K, value: CityProfileDocument[K]) {
  return (current: CityProfile): ProfileEdit | null => {
    const before = current.document[key];
    if (JSON.stringify(before) === JSON.stringify(value)) return null;
    return { path: key, before, after: value, document: { ...current.document, [key]: value } };
  };
}

export function profileRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();

  async function apply(staff: StaffIdentity, edit: (current: CityProfile) => ProfileEdit | null) {
    try {
      const result = await changeProfile(ctx.db, edit, { label: staff.label, keyId: staff.keyId, role: staff.role });
      ctx.profile!.take(result.profile);
      // The profile's time limits reach the forecasts of new suggestions at once.
      ctx.forecast?.forget();
      return { version: result.profile.version, change: result.change && shapeChange(result.change), added: result.change?.before === null };
    } catch (err) {
      if (err instanceof InvalidProfileChange)
        throw new Problem(422, 'invalid-profile', 'Invalid profile change', `the profile would not be valid: ${err.message}`);
      throw err;
    }
  }

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/profile',
      summary:
        'The city profile: districts with their streets and towns, categories, departments, channels and default time limits — the codes a request may name',
      tag: 'profile',
      access: 'public',
      responses: { 200: { description: 'The profile', schema: profileView } },
    },
    async ({ res }) => {
      await ctx.profile!.refresh();
      const profile = ctx.profile!.current;
      res.json({ version: profile.version, profile: profile.document });
    },
  );

  const put = <B extends z.ZodType>(
    path: string,
    summary: string,
    body: B,
    edit: (params: { code?: string }, body: z.output<B>) => (current: CityProfile) => ProfileEdit | null,
  ) =>
    registry.add(
      router,
      { method: 'put', path, summary, tag: 'profile', access: ['admin'], ...(path.includes(':code') ? { params: codeParams } : {}), body, responses: refusals },
      async ({ params, body: parsed, req, res }) => {
        const result = await apply(req.staff!, edit(params as { code?: string }, parsed));
        res.status(result.added ? 201 : 200).json({ version: result.version, change: result.change });
      },
    );

  put(
    '/v1/profile/categories/:code',
    'Add a category, rename it, or retire it (retired: refused for new suggestions, still shown with its name)',
    categoryBody,
    ({ code }, body) => upsertIn('categories', code!, body),
  );
  put(
    '/v1/profile/districts/:code',
    'Add or change a district with its streets and towns; a street is retired, never removed',
    districtBody,
    ({ code }, body) => upsertIn('districts', code!, body),
  );
  put('/v1/profile/departments/:code', 'Add or change a department; the departments table follows', departmentBody, ({ code }, body) =>
    upsertIn('departments', code!, body),
  );
  put('/v1/profile/channels', 'The channels the city takes suggestions by', channelsBody, (_p, body) => replace('channels', body.channels));
  put('/v1/profile/time-limits', "The default time limits beneath the offices' settings, for suggestions arriving from now on", timeLimitsBody, (_p, body) =>
    replace('timeLimits', body.timeLimits),
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/profile/changes',
      summary: 'Who changed the profile, when, and each entry before and after; newest first (pass the last id as beforeId for more)',
      tag: 'profile',
      access: ['admin', 'supervisor'],
      query: changesQuery,
      responses: { 200: { description: 'A page of changes', schema: z.object({ items: z.array(change) }) } },
    },
    async ({ query, res }) => {
      const rows = await ctx.db.profileChange.findMany({
        where: query.beforeId ? { id: { lt: query.beforeId } } : {},
        orderBy: { id: 'desc' },
        take: query.limit,
      });
      res.json({ items: rows.map(shapeChange) });
    },
  );

  return router;
}
