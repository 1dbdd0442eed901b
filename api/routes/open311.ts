import express, { Router, type Request, type Response } from 'express';
import { submitSuggestionSchema } from '../../domain/intake';
import { withProfile } from '../../domain/profile-codes';
import type { Prisma } from '../../prisma/client';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { takeIn } from '../intake';
import { clientOf, districtAttribute, Open311Error, serviceDefinition, serviceRequest, services, toXml, type Format } from '../open311';
import { Problem } from '../problem';
import { queryWorkflow } from '../suggestion-client';
import type { SuggestionView } from '../../domain/suggestion';

// Open311 GeoReport v2 at /open311/v2/ (api/open311.ts says how the chain maps onto it). Outside
// the endpoint registry: the spec fixes its paths, formats, form-encoded requests and error list,
// and its api_key travels in the request, not in an Authorization header. The request reads are
// an app's own desk's: they need the api_key, since a suggestion's text and status are not public.

const base = '/open311/v2';
const dayMs = 86_400_000;

export function open311Routes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  const reads = registry.publicLimiter('get');
  const form = [registry.publicLimiter('post'), express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 40 })];
  const profile = () => ctx.profile!.current;

  // One jurisdiction is served here: the profile's city. Another named is not found.
  const servedHere = (named: unknown) => {
    if (named !== undefined && named !== profile().city.code)
      throw new Open311Error(404, `jurisdiction_id ${String(named)} is not served here; this is ${profile().city.code}`);
  };
  router.get(`${base}/*rest`, (req, res, next) => {
    if (req.query.jurisdiction_id === undefined || req.query.jurisdiction_id === profile().city.code) return next();
    send(req, res, 404, errors(404, `jurisdiction_id ${String(req.query.jurisdiction_id)} is not served here; this is ${profile().city.code}`));
  });

  router.get(
    `${base}/services.:format`,
    reads,
    answer(async () => ({ root: 'services', item: 'service', value: services(profile()) })),
  );

  router.get(
    `${base}/services/:code.:format`,
    reads,
    answer(async (req) => ({ root: 'service_definition', value: serviceDefinition(profile(), String(req.params.code)) })),
  );

  router.post(
    `${base}/requests.:format`,
    ...form,
    answer(async (req) => {
      const f = (req.body ?? {}) as Record<string, string | undefined>;
      servedHere(f.jurisdiction_id);
      const client = await clientOf(ctx.db, f.api_key);
      const description = (f.description ?? '').trim();
      if (!f.service_code) throw new Open311Error(400, 'service_code is required');
      if (!f.address_string && !(f.lat && f.long) && !f.address_id)
        throw new Open311Error(400, 'a location is required: lat and long, address_string or address_id');
      const where = [f.address_string, f.lat && f.long ? `${f.lat},${f.long}` : undefined, f.address_id].filter(Boolean).join(' · ');
      // The location is kept as the suggestion's place too (GeoReport's lat and long are WGS-84), so reads give it back.
      const [lat, long] = [f.lat, f.long].map((x) => (x === undefined || x === '' ? undefined : Number(x)));
      if ((lat !== undefined || long !== undefined) && !(Number.isFinite(lat) && Number.isFinite(long)))
        throw new Open311Error(400, 'lat and long are decimal degrees (WGS-84), both given');
      const address = f.address_string?.trim();
      const place = {
        ...(address ? { address: address.slice(0, 300) } : {}),
        ...(lat !== undefined && long !== undefined ? { coordinates: { lat, lng: long, datum: 'wgs84' } } : {}),
      };
      const name = [f.first_name, f.last_name].filter(Boolean).join(' ') || undefined;
      const parsed = withProfile(profile(), () =>
        submitSuggestionSchema.safeParse({
          title: description.split('\n')[0].slice(0, 60),
          content: [description, `地点 Location: ${where}`, ...(f.media_url ? [`图片 Media: ${f.media_url}`] : [])].join('\n'),
          category: f.service_code,
          district: f[`attribute[${districtAttribute}]`],
          channel: 'open311',
          ...(Object.keys(place).length ? { place } : {}),
          proposer: { name, phone: f.phone || undefined, email: f.email || undefined, replyChannel: f.email ? 'email' : f.phone ? 'sms' : 'online' },
        }),
      );
      if (!parsed.success) throw new Open311Error(400, parsed.error.issues.map((i) => `${open311Field(i.path)}: ${i.message}`).join('; '));
      const receipt = await takeIn(ctx, parsed.data, client, req.header('idempotency-key'));
      return {
        root: 'service_requests',
        item: 'request',
        value: [{ service_request_id: receipt.trackingNumber, service_notice: `查询码 tracking token: ${receipt.trackingToken}`, account_id: null }],
        status: 201,
      };
    }),
  );

  router.get(
    `${base}/requests.:format`,
    reads,
    answer(async (req) => {
      await clientOf(ctx.db, req.query.api_key);
      const q = req.query as Record<string, string | undefined>;
      const ids = q.service_request_id
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const end = q.end_date ? new Date(q.end_date) : new Date();
      const start = q.start_date ? new Date(q.start_date) : new Date(end.getTime() - 90 * dayMs);
      if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()))
        throw new Open311Error(400, 'start_date and end_date are w3 date-times, e.g. 2026-12-01T00:00:00Z');
      const statuses = q.status?.split(',');
      const where: Prisma.SuggestionWhereInput = ids
        ? { id: { in: ids }, channel: 'open311' }
        : {
            channel: 'open311',
            receivedAt: { gte: start, lte: end },
            ...(q.service_code ? { category: { in: q.service_code.split(',') } } : {}),
            ...(statuses && !(statuses.includes('open') && statuses.includes('closed'))
              ? { status: statuses.includes('closed') ? 'closed' : { not: 'closed' } }
              : {}),
          };
      const limit = Math.min(Number(q.page_size) || 100, 200);
      const found = await requestsWhere(where, limit);
      const missing = (ids ?? []).filter((id) => !found.some((r) => r.service_request_id === id)).slice(0, 20);
      return { root: 'service_requests', item: 'request', value: [...found, ...(await fromWorkflows(missing))] };
    }),
  );

  router.get(
    `${base}/requests/:id.:format`,
    reads,
    answer(async (req) => {
      await clientOf(ctx.db, req.query.api_key);
      const id = String(req.params.id);
      const found = await requestsWhere({ id, channel: 'open311' }, 1);
      const value = found.length > 0 ? found : await fromWorkflows([id]);
      if (value.length === 0) throw new Open311Error(404, `service_request_id ${id} was not taken through Open311 here`);
      return { root: 'service_requests', item: 'request', value };
    }),
  );

  router.all(`${base}/*rest`, (req, res) => send(req, res, 404, errors(404, `no such Open311 resource: ${req.path}`)));
  return router;

  async function requestsWhere(where: Prisma.SuggestionWhereInput, limit: number) {
    const [rows, names] = await Promise.all([ctx.db.suggestion.findMany({ where, orderBy: { receivedAt: 'desc' }, take: limit }), departmentNames()]);
    return rows.map((r) => serviceRequest(r, profile(), names));
  }

  /** Requests just taken in may not be in the read model yet: their workflows know them. */
  async function fromWorkflows(ids: string[]) {
    const views = await Promise.all(ids.filter((id) => /^JY-\d{8}-[0-9A-Z]{6}$/.test(id)).map((id) => queryWorkflow(ctx, id).catch(() => null)));
    const names = await departmentNames();
    return views.filter((v): v is SuggestionView => v?.channel === 'open311').map((v) => serviceRequest(rowOf(v), profile(), names));
  }

  async function departmentNames(): Promise<Map<string, string>> {
    return new Map((await ctx.db.department.findMany({ select: { code: true, name: true } })).map((d) => [d.code, d.name]));
  }
}

type Answer = { root: string; item?: string; value: unknown; status?: number };

/** Runs a handler and answers in the format the path asks, errors as the spec's list. */
function answer(handle: (req: Request) => Promise<Answer>) {
  return async (req: Request, res: Response) => {
    const format = formatOf(req);
    if (!format) return send(req, res, 404, errors(404, 'the format is json or xml, as in /services.json'));
    try {
      const a = await handle(req);
      res.status(a.status ?? 200);
      if (format === 'json') return res.json(a.value);
      res.type('application/xml').send(toXml(a.root, a.value, a.item));
    } catch (err) {
      if (err instanceof Open311Error) return send(req, res, err.status, errors(err.status, err.description));
      if (err instanceof Problem && err.status < 500) return send(req, res, err.status, errors(err.status, err.detail));
      throw err;
    }
  };
}

const formatOf = (req: Request): Format | undefined => (req.params.format === 'json' || req.params.format === 'xml' ? req.params.format : undefined);

const errors = (code: number, description: string) => [{ code, description }];

function send(req: Request, res: Response, status: number, body: { code: number; description: string }[]) {
  res.status(status);
  if (formatOf(req) === 'xml' || req.path.endsWith('.xml')) return res.type('application/xml').send(toXml('errors', body, 'error'));
  return res.json(body);
}

/** A suggestion as its workflow reports it, in the read model's shape. */
function rowOf(v: SuggestionView) {
  const at = (s?: string) => (s ? new Date(s) : null);
  return {
    id: v.id,
    category: v.category,
    status: v.status,
    content: v.content,
    reply: v.decision?.reply ?? null,
    leadDepartment: v.leadDepartment ?? null,
    receivedAt: new Date(v.receivedAt),
    updatedAt: new Date(v.receivedAt),
    dueAt: at(v.dueAt),
    closedAt: at(v.closedAt),
    place: v.place ?? null,
  };
}

/** Our field names in a validation error, as the Open311 client sent them. */
function open311Field(path: PropertyKey[]): string {
  const field = String(path[0] ?? 'request');
  if (field === 'category') return 'service_code';
  if (field === 'district') return `attribute[${districtAttribute}]`;
  if (field === 'title' || field === 'content') return 'description';
  if (field === 'place') return path[1] === 'coordinates' ? 'lat/long' : 'address_string';
  return path.map(String).join('.');
}
