import { createHash, randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type QueryDefinition } from '@temporalio/client';
import { shanghaiDate } from '../../domain/calendar';
import { decisionSchema } from '../../domain/decision';
import { submitSuggestionSchema, type SubmitSuggestion } from '../../domain/intake';
import type { SuggestionIntake, SuggestionView } from '../../domain/suggestion';
import { workflowIdFor } from '../../domain/tracking-number';
import { intakeNumber } from '../intake-number';
import { staffRegisteredChannels } from '../../domain/vocabulary';
import { suggestionWorkflowType } from '../../domain/workflow-types';
import { assignUpdate, decideUpdate, stateQuery, trackingTokenHashQuery, type Actor } from '../../workflows/messages';
import { CampaignId, Category, Channel, Department, District, DueAt, DueAtProvisional, Overdue, SuggestionStatus } from '../../workflows/search-attributes';
import type { StaffIdentity } from '../auth';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { Problem } from '../problem';
import { readSuggestion } from '../read-model';
import { newTrackingToken, trackingTokenFor } from '../tracking-token';
import { assignmentBody, intakeReceipt, problemDocument, suggestionIdParams, suggestionPage, suggestionView } from '../schemas';
import { departmentCode, listPage, listQueryFields, sortOrders, suggestionListQuery, type SortOrder } from '../suggestion-list';
import { admitToCampaign, recordCampaignEntry } from '../campaign-intake';
import { problemFromTemporal } from '../temporal-errors';

const staffOnlyChannels = [...staffRegisteredChannels, 'email'];
/** Clocks of intake terminals drift; a receipt time this far ahead is still "now". */
const clockSkewMs = 2 * 60_000;

export function suggestionRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();

  registry.add(
    router,
    {
      method: 'post',
      path: '/v1/suggestions',
      summary: 'Submit a suggestion (any channel); returns its tracking number',
      tag: 'intake',
      access: 'public',
      body: submitSuggestionSchema,
      responses: {
        202: { description: 'Registered; the suggestion workflow has started', schema: intakeReceipt },
        400: { description: 'Invalid input', schema: problemDocument },
        403: { description: 'This channel is registered by intake staff only', schema: problemDocument },
        409: { description: 'The campaign named is not open: not yet, paused, closed or cancelled', schema: problemDocument },
        422: { description: 'Idempotency-Key reused with a different suggestion, or receivedAt in the future', schema: problemDocument },
      },
    },
    async ({ body, req, res }) => {
      const receipt = await takeIn(ctx, body, req.staff, req.header('idempotency-key'));
      res.status(202).location(`/v1/suggestions/${receipt.id}`).json(receipt);
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/suggestions/:id',
      summary: 'A suggestion with its status, deadline, decision and timeline',
      tag: 'suggestions',
      access: ['intake', 'office', 'department', 'supervisor', 'admin'],
      params: suggestionIdParams,
      responses: {
        200: { description: 'The suggestion', schema: suggestionView },
        404: { description: 'No such suggestion (or not one of your department\'s)', schema: problemDocument },
      },
    },
    async ({ params, req, res }) => {
      const view = (await readSuggestion(ctx.db, params.id)) ?? (await queryWorkflow(ctx, params.id));
      if (!view || !visibleTo(req.staff!, view)) throw new Problem(404, 'not-found', 'Not found', `suggestion ${params.id} does not exist`);
      res.json(view);
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/v1/suggestions/:id/decision',
      summary: 'The lead department records its decision and the reply to the proposer',
      tag: 'handling',
      access: ['department'],
      params: suggestionIdParams,
      body: decisionSchema,
      responses: {
        200: { description: 'Decided; the reply goes to the proposer', schema: suggestionView },
        403: { description: 'Not the lead department', schema: problemDocument },
        404: { description: 'No such suggestion', schema: problemDocument },
        409: { description: 'Not in a state that can be decided', schema: problemDocument },
        422: { description: 'The decision is incomplete', schema: problemDocument },
      },
    },
    async ({ params, body, req, res }) => {
      const view = await update(ctx, params.id, req, (handle, updateId) =>
        handle.executeUpdate(decideUpdate, { args: [{ actor: actorOf(req.staff!), ...body }], updateId }),
      );
      res.json(view);
    },
  );

  registry.add(
    router,
    {
      method: 'post',
      path: '/v1/suggestions/:id/assignment',
      summary: 'The collection office routes a suggestion by hand or reassigns it before the decision',
      tag: 'triage',
      access: ['office'],
      params: suggestionIdParams,
      body: assignmentBody,
      responses: {
        200: { description: 'Assigned', schema: suggestionView },
        404: { description: 'No such suggestion or department', schema: problemDocument },
        409: { description: 'Already decided', schema: problemDocument },
      },
    },
    async ({ params, body, req, res }) => {
      const known = await ctx.db.department.count({ where: { code: { in: [body.leadDepartment, ...body.coDepartments] } } });
      if (known !== new Set([body.leadDepartment, ...body.coDepartments]).size) {
        throw new Problem(404, 'unknown-department', 'Unknown department', 'the lead or a co-handling department does not exist');
      }
      const view = await update(ctx, params.id, req, (handle, updateId) =>
        handle.executeUpdate(assignUpdate, { args: [{ actor: actorOf(req.staff!), ...body }], updateId }),
      );
      res.json(view);
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/suggestions',
      summary: 'Suggestions, filtered and sorted, a page at a time (a department sees only its own)',
      tag: 'suggestions',
      access: ['office', 'department', 'supervisor', 'admin'],
      query: suggestionListQuery,
      responses: {
        200: { description: 'A page of suggestions', schema: suggestionPage },
        403: { description: "Another department's suggestions", schema: problemDocument },
      },
    },
    async ({ query, req, res }) => {
      const staff = req.staff!;
      if (staff.role === 'department' && query.department && query.department !== staff.departmentCode) {
        throw new Problem(403, 'forbidden', 'Not allowed', 'a department lists only its own suggestions');
      }
      res.json(await listPage(ctx.db, query, staff.role === 'department' ? { department: staff.departmentCode } : {}));
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/triage-queue',
      summary: "The collection office's queue: suggestions no rule routed, oldest first",
      tag: 'triage',
      access: ['office', 'supervisor'],
      query: queueQuery('receivedAt'),
      responses: { 200: { description: 'A page of the queue', schema: suggestionPage } },
    },
    async ({ query, res }) => {
      res.json(await listPage(ctx.db, query, { status: 'triage' }));
    },
  );

  registry.add(
    router,
    {
      method: 'get',
      path: '/v1/overdue',
      summary: 'Suggestions with something past its limit now (超期): an answer, a re-handling, a milestone or a follow-up check; longest overdue first, for supervision',
      tag: 'supervision',
      access: ['supervisor', 'office'],
      query: queueQuery('dueAt'),
      responses: { 200: { description: 'A page of overdue suggestions', schema: suggestionPage } },
    },
    async ({ query, res }) => {
      // The flag is about now (workflows/overdue.ts), so it needs no status filter: an answer that
      // finally came or a milestone finally done has left the list.
      res.json(await listPage(ctx.db, query, { overdue: 'true' }));
    },
  );

  return router;
}

/**
 * Intake, whichever door a suggestion comes through (this endpoint or the public web form): the
 * channel's rules, the campaign's window, the workflow's start and the proposer's tracking token.
 */
export async function takeIn(ctx: ApiContext, body: SubmitSuggestion, staff: StaffIdentity | undefined, idempotencyKey?: string) {
  const now = ctx.now?.() ?? new Date();
  if (staffOnlyChannels.includes(body.channel) && !['intake', 'office', 'admin'].includes(staff?.role ?? '')) {
    throw new Problem(403, 'forbidden', 'Not allowed', `suggestions by ${body.channel} are registered by intake staff`);
  }
  const receivedAt = body.receivedAt ? new Date(body.receivedAt) : now;
  if (receivedAt.getTime() > now.getTime() + clockSkewMs) {
    throw new Problem(422, 'received-in-future', 'Receipt time in the future', 'receivedAt cannot be later than now');
  }
  await admitToCampaign(ctx.db, body, receivedAt);
  // Shown once: only its hash is kept. A retry under the same Idempotency-Key gets the same token.
  const token = idempotencyKey ? trackingTokenFor(ctx.keys, idempotencyKey) : newTrackingToken();
  // Only the token's hash is kept, in the workflow's input: its registration writes it to the read
  // model, and until then the tracking check asks the workflow (tracking-token.ts).
  const receipt = await register(ctx, body, receivedAt, token.hash, idempotencyKey);
  await recordCampaignEntry(ctx.db, receipt.id, body);
  return { ...receipt, trackingToken: token.token };
}

/** A fixed list's query: the common filters except the one the list itself fixes. */
function queueQuery(defaultSort: SortOrder) {
  const { status: _status, overdue: _overdue, ...fields } = listQueryFields;
  return z.object({ ...fields, department: departmentCode.optional(), sort: z.enum(sortOrders).default(defaultSort) }).strict();
}

/**
 * Six characters of a tracking number hold 2^30 values a day: at 100,000 suggestions a day a few
 * pairs would draw the same one. A number already taken by another suggestion is passed over for
 * the next candidate, so no suggestion is merged into another or refused for the clash.
 */
const numberAttempts = 8;

/** Starts the suggestion's workflow; a retried submission (same Idempotency-Key) gets the first one's receipt. */
async function register(ctx: ApiContext, body: SubmitSuggestion, receivedAt: Date, trackingTokenHash: string, idempotencyKey?: string) {
  for (let attempt = 0; attempt < numberAttempts; attempt++) {
    const receipt = await startUnder(ctx, body, intakeNumber(shanghaiDate(receivedAt), attempt, idempotencyKey, ctx.drawNumber), receivedAt, trackingTokenHash, idempotencyKey);
    if (receipt) return receipt;
  }
  // Eight draws in a row all taken: nothing was started, so the proposer is asked to send it again.
  throw new Problem(503, 'no-free-tracking-number', 'No free tracking number', `every tracking number drawn for ${shanghaiDate(receivedAt)} was taken; nothing was recorded, send the suggestion again`, {}, { 'Retry-After': '1' });
}

/** Starts the workflow under one tracking number: undefined when another suggestion holds that number. */
async function startUnder(ctx: ApiContext, body: SubmitSuggestion, number: string, receivedAt: Date, trackingTokenHash: string, idempotencyKey?: string) {
  const intake: SuggestionIntake = { ...body, trackingNumber: number, receivedAt: receivedAt.toISOString(), trackingTokenHash };
  const fingerprint = createHash('sha256').update(JSON.stringify({ ...body, receivedAt: body.receivedAt })).digest('hex');
  // Whose submission this number holds: two proposers may send the very same text.
  const keyHash = idempotencyKey ? createHash('sha256').update(`intake-key:${idempotencyKey}`).digest('hex') : undefined;
  const receipt = { id: number, trackingNumber: number, status: 'received' as const, receivedAt: intake.receivedAt };
  const forecast = ctx.forecast?.forecast({ ...body, receivedAt });
  try {
    await ctx.temporal.workflow.start(suggestionWorkflowType, {
      taskQueue: ctx.taskQueue,
      workflowId: workflowIdFor(number),
      args: [intake],
      // A retried submission (same Idempotency-Key) lands on the same workflow id and is refused here.
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      // A retry answers from these without asking the workflow, so it needs no worker to be up.
      memo: { intakeFingerprint: fingerprint, receivedAt: intake.receivedAt, ...(keyHash ? { intakeKeyHash: keyHash } : {}) },
      typedSearchAttributes: [
        // Given at start, the attributes its first task would set cost no upsert (routing-forecast.ts).
        { key: SuggestionStatus, value: forecast?.status ?? 'received' },
        { key: Overdue, value: false },
        ...(forecast?.department ? [{ key: Department, value: forecast.department }] : []),
        ...(forecast ? [{ key: DueAt, value: forecast.dueAt }, { key: DueAtProvisional, value: forecast.dueAtProvisional }] : []),
        { key: Category, value: body.category },
        { key: District, value: body.district },
        { key: Channel, value: body.channel },
        ...(body.campaignId ? [{ key: CampaignId, value: body.campaignId }] : []),
      ],
    });
    return receipt;
  } catch (err) {
    if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
    // Without a key the number was drawn at random: another suggestion drew it first.
    if (!keyHash) return undefined;
    const existing = await ctx.temporal.workflow.getHandle(workflowIdFor(number)).describe();
    // Suggestions started before keys were recorded are told apart by their content alone.
    const heldKey = existing.memo?.intakeKeyHash;
    if (typeof heldKey === 'string' && heldKey !== keyHash) return undefined;
    if (existing.memo?.intakeFingerprint !== fingerprint) {
      throw new Problem(422, 'idempotency-key-reused', 'Idempotency-Key reused', 'this Idempotency-Key was used for a different suggestion');
    }
    const firstReceivedAt = typeof existing.memo?.receivedAt === 'string' ? existing.memo.receivedAt : await existingReceipt(ctx, number);
    return { ...receipt, receivedAt: firstReceivedAt ?? receipt.receivedAt };
  }
}

/** The first submission's receipt time, asked of a workflow started before its memo carried it. */
async function existingReceipt(ctx: ApiContext, number: string): Promise<string | undefined> {
  const view = await queryWorkflow(ctx, number);
  return view?.receivedAt;
}

export function queryWorkflow(ctx: ApiContext, id: string): Promise<SuggestionView | null> {
  return askWorkflow(ctx, id, stateQuery);
}

/** The tracking token's hash as the suggestion's workflow carries it; null for no such suggestion. */
export function tokenHashInWorkflow(ctx: ApiContext, id: string): Promise<string | null> {
  return askWorkflow(ctx, id, trackingTokenHashQuery);
}

async function askWorkflow<T>(ctx: ApiContext, id: string, query: QueryDefinition<T>): Promise<T | null> {
  try {
    return await ctx.temporal.workflow.getHandle(workflowIdFor(id)).query(query);
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return null;
    throw err;
  }
}

type Handle = ReturnType<ApiContext['temporal']['workflow']['getHandle']>;

/** Sends an update; the Idempotency-Key (or a fresh id) names it so a retried action is applied once. */
export async function update(ctx: ApiContext, id: string, req: { header(name: string): string | undefined }, send: (handle: Handle, updateId: string) => Promise<SuggestionView>) {
  const updateId = req.header('idempotency-key') ?? randomBytes(12).toString('hex');
  try {
    return await send(ctx.temporal.workflow.getHandle(workflowIdFor(id)), updateId);
  } catch (err) {
    // A finished workflow takes no more updates: the suggestion exists but is past acting on.
    if ((err as Error).name === 'WorkflowNotFoundError' && (await ctx.db.suggestion.count({ where: { id } })) > 0) {
      throw new Problem(409, 'wrong-state', 'Action refused', `suggestion ${id} is closed`);
    }
    throw problemFromTemporal(err, `suggestion ${id}`) ?? err;
  }
}

export function actorOf(staff: StaffIdentity): Actor {
  const role = staff.role === 'department' || staff.role === 'office' || staff.role === 'supervisor' ? staff.role : 'office';
  return { role, departmentCode: staff.departmentCode, name: staff.departmentCode ? `${staff.departmentCode}/${staff.label}` : staff.label };
}

function visibleTo(staff: StaffIdentity, view: SuggestionView): boolean {
  if (staff.role !== 'department') return true;
  return view.leadDepartment === staff.departmentCode || view.coDepartments.includes(staff.departmentCode ?? '');
}
