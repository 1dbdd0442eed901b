import { createHash } from 'node:crypto';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { shanghaiDate } from '../domain/calendar';
import type { ProposerDetails, SealedProposer, SubmitSuggestion } from '../domain/intake';
import { sealProposer } from '../codec';
import type { AttachmentRef } from '../domain/attachments';
import { storedPlace, type Place } from '../domain/place';
import type { SuggestionIntake } from '../domain/suggestion';
import { workflowIdFor } from '../domain/tracking-number';
import { staffRegisteredChannels } from '../domain/vocabulary';
import { CampaignId, Category, Channel, Department, District, DueAt, DueAtProvisional, Overdue, SuggestionStatus } from '../workflows/search-attributes';
import { suggestionWorkflow } from '../workflows/suggestion-workflow';
import { markAttached, uploaderOf, uploadsFor } from './attachments';
import { admitToCampaign, recordCampaignEntry } from './campaign-intake';
import type { ApiContext } from './context';
import { intakeNumber } from './intake-number';
import { Problem } from './problem';
import type { StaffIdentity } from './staff-identity';
import { queryWorkflow } from './suggestion-client';
import { newTrackingToken, trackingTokenFor } from './tracking-token';

// Intake (登记): a suggestion becomes a workflow under a tracking number of its own. POST
// /v1/suggestions and the public web form (pages/submit.ts) both take suggestions in here.

const staffOnlyChannels = [...staffRegisteredChannels, 'email'];
/** Clocks of intake terminals drift; a receipt time this far ahead is still "now". */
const clockSkewMs = 2 * 60_000;

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
  // A citizen's uploads, or intake staff's for a letter or visit; a retry (same key) finds them attached already.
  const attachments = await uploadsFor(ctx, body.attachments, (by) => by === 'public' || by === uploaderOf(staff), idempotencyKey ? true : undefined);
  // Shown once: only its hash is kept. A retry under the same Idempotency-Key gets the same token.
  const token = idempotencyKey ? trackingTokenFor(ctx.keys, idempotencyKey) : newTrackingToken();
  // Only the token's hash is kept, in the workflow's input: its registration writes it to the read
  // model, and until then the tracking check asks the workflow (tracking-token.ts).
  const proposer = await sealedProposer(ctx, body.proposer);
  const { attachments: _uploadIds, place, ...fields } = body;
  const receipt = await register(ctx, { ...fields, proposer, ...(place ? { place: storedPlace(place) } : {}), ...(attachments ? { attachments } : {}) }, receivedAt, token.hash, idempotencyKey);
  await markAttached(ctx, receipt.id, attachments, 'submission');
  await recordCampaignEntry(ctx.db, receipt.id, body);
  return { ...receipt, trackingToken: token.token };
}

/**
 * Six characters of a tracking number hold 2^30 values a day: at 100,000 suggestions a day a few
 * pairs would draw the same one. A number already taken by another suggestion is passed over for
 * the next candidate, so no suggestion is merged into another or refused for the clash.
 */
const numberAttempts = 8;

/**
 * The proposer's details sealed with a data key of their own, which is kept in PostgreSQL now:
 * erasing the proposer destroys it, and the details in the workflow's history with it. When
 * PostgreSQL cannot be reached, intake still takes the suggestion: the data key, sealed with the
 * ring, travels with it and registration keeps it (its history then holds the sealed key too).
 */
async function sealedProposer(ctx: ApiContext, details: ProposerDetails): Promise<SealedProposer> {
  const { proposer, dataKey } = sealProposer(ctx.keys, details);
  try {
    await ctx.db.proposerKey.create({ data: dataKey });
    return proposer;
  } catch (err) {
    ctx.logger?.warn({ err }, "the proposer's data key travels with the suggestion: PostgreSQL could not keep it at intake");
    return { ...proposer, wrappedKey: dataKey.key };
  }
}

type SealedSubmission = Omit<SubmitSuggestion, 'proposer' | 'place' | 'attachments'> & { proposer: SealedProposer; place?: Place; attachments?: AttachmentRef[] };

/** Starts the suggestion's workflow; a retried submission (same Idempotency-Key) gets the first one's receipt. */
async function register(ctx: ApiContext, body: SealedSubmission, receivedAt: Date, trackingTokenHash: string, idempotencyKey?: string) {
  for (let attempt = 0; attempt < numberAttempts; attempt++) {
    const receipt = await startUnder(ctx, body, intakeNumber(shanghaiDate(receivedAt), attempt, idempotencyKey, ctx.drawNumber), receivedAt, trackingTokenHash, idempotencyKey);
    if (receipt) return receipt;
  }
  // Eight draws in a row all taken: nothing was started, so the proposer is asked to send it again.
  throw new Problem(503, 'no-free-tracking-number', 'No free tracking number', `every tracking number drawn for ${shanghaiDate(receivedAt)} was taken; nothing was recorded, send the suggestion again`, {}, { 'Retry-After': '1' });
}

/** Starts the workflow under one tracking number: undefined when another suggestion holds that number. */
async function startUnder(ctx: ApiContext, body: SealedSubmission, number: string, receivedAt: Date, trackingTokenHash: string, idempotencyKey?: string) {
  const intake: SuggestionIntake = { ...body, trackingNumber: number, receivedAt: receivedAt.toISOString(), trackingTokenHash };
  // The same submission again, whatever data key sealed its proposer this time.
  const { proposer: sealed, ...fields } = body;
  const fingerprint = createHash('sha256').update(JSON.stringify({ ...fields, proposer: { replyChannel: sealed.replyChannel }, receivedAt: body.receivedAt })).digest('hex');
  // Whose submission this number holds: two proposers may send the very same text.
  const keyHash = idempotencyKey ? createHash('sha256').update(`intake-key:${idempotencyKey}`).digest('hex') : undefined;
  const receipt = { id: number, trackingNumber: number, status: 'received' as const, receivedAt: intake.receivedAt };
  const forecast = ctx.forecast?.forecast({ ...body, street: body.place?.street, receivedAt });
  try {
    await ctx.temporal.workflow.start(suggestionWorkflow, {
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
