import { z } from 'zod';
import { categoryCode, districtCode, streetCode } from '../domain/profile-codes';
import { channels, suggestionStatuses } from '../domain/vocabulary';
import type { Database, Prisma } from '../prisma/client';
import { Problem } from './problem';

// Cursor-paginated, filtered, sorted lists of suggestions from the read model: the general list,
// a department's inbox, the office's triage queue and the supervisors' overdue list.

export const departmentCode = z.string().regex(/^[a-z0-9_-]{2,64}$/, 'a department code');
const instant = z.iso.datetime({ offset: true });

export const sortOrders = ['receivedAt', '-receivedAt', 'dueAt', '-dueAt'] as const;
export type SortOrder = (typeof sortOrders)[number];

/** The query parameters every list understands. */
export const listQueryFields = {
  status: z.enum(suggestionStatuses).optional(),
  category: categoryCode.optional(),
  district: districtCode.optional(),
  street: streetCode.optional().describe("the street or town (街镇) of the matter's place"),
  channel: z.enum(channels).optional(),
  campaignId: z.string().trim().min(1).max(64).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  receivedFrom: instant.optional().describe('received at or after this instant'),
  receivedBefore: instant.optional().describe('received before this instant'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,400}$/, 'a cursor returned as nextCursor')
    .optional(),
};

export const suggestionListQuery = z
  .object({
    ...listQueryFields,
    department: departmentCode.optional().describe('lead or co-handling department'),
    sort: z.enum(sortOrders).default('-receivedAt'),
  })
  .strict();

/** A fixed list's query: the common filters except the one the list itself fixes. */
export function queueQuery(defaultSort: SortOrder) {
  const { status: _status, overdue: _overdue, ...fields } = listQueryFields;
  return z.object({ ...fields, department: departmentCode.optional(), sort: z.enum(sortOrders).default(defaultSort) }).strict();
}

export type ListFilter = {
  status?: string | string[];
  category?: string;
  district?: string;
  street?: string;
  channel?: string;
  campaignId?: string;
  overdue?: 'true' | 'false';
  receivedFrom?: string;
  receivedBefore?: string;
  department?: string;
  departmentRole?: 'lead' | 'co';
};

export interface ListRequest {
  filter: ListFilter;
  /** What the staff member's jurisdiction covers (jurisdiction-scope.ts); nothing more is listed. */
  scope?: Prisma.SuggestionWhereInput;
  sort: SortOrder;
  limit: number;
  cursor?: string;
}

type Row = Awaited<ReturnType<Database['suggestion']['findMany']>>[number];

export async function listSuggestions(db: Database, request: ListRequest): Promise<{ rows: Row[]; nextCursor: string | null }> {
  const where: Prisma.SuggestionWhereInput = {
    AND: [
      filterWhere(request.filter),
      ...(request.scope ? [request.scope] : []),
      ...(request.cursor ? [afterCursor(request.sort, decodeCursor(request.cursor, request.sort))] : []),
    ],
  };
  const field = sortField(request.sort);
  const direction = request.sort.startsWith('-') ? 'desc' : 'asc';
  const rows = await db.suggestion.findMany({
    where,
    orderBy: [field === 'dueAt' ? { dueAt: { sort: direction, nulls: 'last' } } : { receivedAt: direction }, { id: direction }],
    take: request.limit + 1,
  });
  const page = rows.slice(0, request.limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > request.limit && last ? encodeCursor(request.sort, last[field]?.toISOString() ?? null, last.id) : null };
}

/** One page of a list as the API answers it: the query's filters, plus what the list itself fixes. */
export async function listPage(
  db: Database,
  query: ListFilter & { sort: SortOrder; limit: number; cursor?: string },
  fixed: ListFilter = {},
  scope?: Prisma.SuggestionWhereInput,
) {
  const { sort, limit, cursor, ...filter } = query;
  const page = await listSuggestions(db, { filter: { ...filter, ...fixed }, sort, limit, cursor, scope });
  return { items: page.rows.map(summaryOf), nextCursor: page.nextCursor };
}

export function summaryOf(r: Row) {
  return {
    id: r.id,
    trackingNumber: r.trackingNumber,
    title: r.title,
    status: r.status,
    category: r.category,
    district: r.district,
    street: r.street,
    channel: r.channel,
    campaignId: r.campaignId,
    leadDepartment: r.leadDepartment,
    coDepartments: r.coDepartments,
    dueAt: r.dueAt?.toISOString() ?? null,
    dueAtProvisional: r.dueAtProvisional,
    overdue: r.overdue,
    receivedAt: r.receivedAt.toISOString(),
  };
}

function filterWhere(f: ListFilter): Prisma.SuggestionWhereInput {
  const departmentWhere: Prisma.SuggestionWhereInput = !f.department
    ? {}
    : f.departmentRole === 'lead'
      ? { leadDepartment: f.department }
      : f.departmentRole === 'co'
        ? { coDepartments: { has: f.department } }
        : { OR: [{ leadDepartment: f.department }, { coDepartments: { has: f.department } }] };
  return {
    ...(f.status ? { status: Array.isArray(f.status) ? { in: f.status } : f.status } : {}),
    ...(f.category ? { category: f.category } : {}),
    ...(f.district ? { district: f.district } : {}),
    ...(f.street ? { street: f.street } : {}),
    ...(f.channel ? { channel: f.channel } : {}),
    ...(f.campaignId ? { campaignId: f.campaignId } : {}),
    ...(f.overdue ? { overdue: f.overdue === 'true' } : {}),
    ...(f.receivedFrom || f.receivedBefore
      ? { receivedAt: { ...(f.receivedFrom ? { gte: new Date(f.receivedFrom) } : {}), ...(f.receivedBefore ? { lt: new Date(f.receivedBefore) } : {}) } }
      : {}),
    ...departmentWhere,
  };
}

function sortField(sort: SortOrder): 'receivedAt' | 'dueAt' {
  return sort.replace('-', '') as 'receivedAt' | 'dueAt';
}

interface Cursor {
  sort: SortOrder;
  value: string | null;
  id: string;
}

/** The position after the last row of a page (keyset pagination: stable while rows are added). */
function afterCursor(sort: SortOrder, cursor: Cursor): Prisma.SuggestionWhereInput {
  const field = sortField(sort);
  const beyond = sort.startsWith('-') ? 'lt' : 'gt';
  const idBeyond = { id: { [beyond]: cursor.id } };
  // Rows without a deadline come last in either direction.
  if (cursor.value === null) return { [field]: null, ...idBeyond };
  const value = new Date(cursor.value);
  const after: Prisma.SuggestionWhereInput = {
    OR: [{ [field]: { [beyond]: value } }, { [field]: value, ...idBeyond }, ...(field === 'dueAt' ? [{ dueAt: null }] : [])],
  };
  // Every receipt is an instant: the bound the OR implies, stated, lets an index on received_at start
  // at the cursor instead of reading every row before it (docs/BENCHMARKS.md, the archive).
  return field === 'receivedAt' ? { AND: [{ receivedAt: { [beyond === 'lt' ? 'lte' : 'gte']: value } }, after] } : after;
}

function encodeCursor(sort: SortOrder, value: string | null, id: string): string {
  return Buffer.from(JSON.stringify({ sort, value, id } satisfies Cursor)).toString('base64url');
}

const cursorSchema = z.object({ sort: z.enum(sortOrders), value: instant.nullable(), id: z.string().min(1).max(100) }).strict();

function decodeCursor(text: string, sort: SortOrder): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const cursor = cursorSchema.safeParse(parsed);
  if (!cursor.success) throw new Problem(400, 'invalid-cursor', 'Invalid cursor', 'the cursor is not one this API returned');
  if (cursor.data.sort !== sort)
    throw new Problem(400, 'invalid-cursor', 'Invalid cursor', `the cursor belongs to sort=${cursor.data.sort}; keep the sort while paging`);
  return cursor.data;
}
