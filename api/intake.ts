import { createHash, createHmac } from 'node:crypto';
import type { KeyRing } from '../codec';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { shanghaiDate } from '../domain/calendar';
import type { ProposerDetails, SealedProposer, SubmitSuggestion } from '../domain/intake';
import { sealProposer } from '../codec';
import type { AttachmentRef } from '../domain/attachments';
import { storedPlace, type Place } from '../domain/place';
import type { SuggestionIntake } from '../domain/suggestion';
import { workflowIdFor } from '../domain/tracking-number';
import { staffRegisteredChannels, type Category as CategoryCode, type Channel as ChannelCode, type District as DistrictCode } from '../domain/vocabulary';
import { bilingual, channelWords } from '../domain/vocabulary-labels';
import type { CityProfile } from '../domain/profile';
import { CampaignId, Category, Channel, Department, District, DueAt, DueAtProvisional, Overdue, SuggestionStatus } from '../workflows/search-attributes';
import { suggestionWorkflow } from '../workflows/suggestion-workflow';
import { markAttached, uploaderOf, uploadsFor } from './attachments';
import { admitToCampaign, recordCampaignEntry } from './campaign-intake';
import type { ApiContext } from './context';
import { intakeNumber, keyedDraws } from './intake-number';
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
  const keyed = idempotencyKey ? keyedIntake(ctx.keys, scopedIntakeKey(body, staff, idempotencyKey)) : undefined;
  // The fingerprint is of what was sent: each attempt seals the proposer with a data key of its own.
  const fingerprint = intakeFingerprint(body);
  // A citizen's uploads, or intake staff's for a letter or visit; a retry (same key) finds them attached already.
  const attachments = await uploadsFor(ctx, body.attachments, (by) => by === 'public' || by === uploaderOf(staff), idempotencyKey ? true : undefined);
  const proposer = await sealedProposer(ctx, body.proposer);
  const { attachments: _uploadIds, place, ...fields } = body;
  const receipt = await register(
    ctx,
    { ...fields, proposer, ...(place ? { place: storedPlace(place) } : {}), ...(attachments ? { attachments } : {}) },
    receivedAt,
    fingerprint,
    keyed,
  );
  await markAttached(ctx, receipt.id, attachments, 'submission');
  await recordCampaignEntry(ctx.db, receipt.id, body);
  return receipt;
}

/** The submission's content, as a retry of it sends it again: what a key's reuse is checked against. */
function intakeFingerprint(body: SubmitSuggestion): string {
  return createHash('sha256')
    .update(JSON.stringify({ ...body, receivedAt: body.receivedAt }))
    .digest('hex');
}

/**
 * Whose Idempotency-Key it is. A staff member's keys are theirs (the API key's id, or the signed
 * token's subject), so the hotline import's work orders are its own and another caller's request
 * under the same key is a request of its own; the public has no identity, so a key names a retry of
 * one submission only: its content. A public key never meets a staff one, nor one public
 * submission another's.
 */
export function scopedIntakeKey(body: SubmitSuggestion, staff: StaffIdentity | undefined, idempotencyKey: string): string {
  return `${staff ? `staff:${staff.keyId}` : `public:${intakeFingerprint(body)}`}\n${idempotencyKey}`;
}

/** A submission under an Idempotency-Key: where its numbers come from, how its memo names it, its token on each number. */
interface KeyedIntake {
  draws: (attempt: number) => Buffer;
  /** Kept in the workflow's memo (encrypted): a retry knows its own suggestion by it. */
  keyHash: string;
  token: (trackingNumber: string) => { token: string; hash: string };
}

/**
 * Numbers, memo mark and token of a keyed submission, each from the key as scoped to its caller and
 * a secret only the service holds (derived from the key ring): knowing someone's key tells nothing
 * of their number or token, and a retry by the same caller gets the same ones again.
 */
function keyedIntake(keys: KeyRing, scopedKey: string): KeyedIntake {
  return {
    draws: keyedDraws(keys, scopedKey),
    keyHash: createHmac('sha256', keys.derive('intake-key')).update(scopedKey).digest('hex'),
    token: (trackingNumber) => trackingTokenFor(keys, scopedKey, trackingNumber),
  };
}

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

type SealedSubmission = Omit<SubmitSuggestion, 'proposer' | 'place' | 'attachments'> & {
  proposer: SealedProposer;
  place?: Place;
  attachments?: AttachmentRef[];
};

/**
 * Six characters of a tracking number hold 2^30 values a day: at 100,000 suggestions a day a few
 * pairs would draw the same one. A number already taken by another suggestion is passed over for
 * the next candidate, so no suggestion is merged into another or refused for the clash.
 */
const numberAttempts = 8;

/** Starts the suggestion's workflow; a retried submission (same caller, same Idempotency-Key) gets the first one's receipt. */
async function register(ctx: ApiContext, body: SealedSubmission, receivedAt: Date, fingerprint: string, keyed?: KeyedIntake) {
  // Shown once: only its hash is kept. Without a key, one token whatever number it lands on.
  const drawn = keyed ? undefined : newTrackingToken();
  for (let attempt = 0; attempt < numberAttempts; attempt++) {
    const number = intakeNumber(shanghaiDate(receivedAt), attempt, keyed?.draws, ctx.drawNumber);
    const token = keyed ? keyed.token(number) : drawn!;
    // Only the token's hash is kept, in the workflow's input: its registration writes it to the read
    // model, and until then the tracking check asks the workflow (tracking-token.ts).
    const receipt = await startUnder(ctx, body, number, receivedAt, token.hash, fingerprint, keyed?.keyHash);
    if (receipt) return { ...receipt, trackingToken: token.token };
  }
  // Eight draws in a row all taken: nothing was started, so the proposer is asked to send it again.
  throw new Problem(
    503,
    'no-free-tracking-number',
    'No free tracking number',
    `every tracking number drawn for ${shanghaiDate(receivedAt)} was taken; nothing was recorded, send the suggestion again`,
    {},
    { 'Retry-After': '1' },
  );
}

/** Starts the workflow under one tracking number: undefined when another suggestion holds that number. */
async function startUnder(
  ctx: ApiContext,
  body: SealedSubmission,
  number: string,
  receivedAt: Date,
  trackingTokenHash: string,
  fingerprint: string,
  keyHash?: string,
) {
  const intake: SuggestionIntake = { ...body, trackingNumber: number, receivedAt: receivedAt.toISOString(), trackingTokenHash };
  const receipt = { id: number, trackingNumber: number, status: 'received' as const, receivedAt: intake.receivedAt };
  const forecast = ctx.forecast?.forecast({ ...body, street: body.place?.street, receivedAt });
  try {
    await ctx.temporal.workflow.start(suggestionWorkflow, {
      taskQueue: ctx.taskQueue,
      workflowId: workflowIdFor(number),
      args: [intake],
      // A retried submission (same caller and Idempotency-Key) lands on the same workflow id and is refused here.
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      // A retry answers from these without asking the workflow, so it needs no worker to be up.
      // The line the Temporal UI shows for it: never the title or content, where a proposer may write their name.
      staticSummary: workflowSummary(number, body, ctx.profile!.current),
      memo: { intakeFingerprint: fingerprint, receivedAt: intake.receivedAt, ...(keyHash ? { intakeKeyHash: keyHash } : {}) },
      typedSearchAttributes: [
        // Given at start, the attributes its first task would set cost no upsert (routing-forecast.ts).
        { key: SuggestionStatus, value: forecast?.status ?? 'received' },
        { key: Overdue, value: false },
        ...(forecast?.department ? [{ key: Department, value: forecast.department }] : []),
        ...(forecast
          ? [
              { key: DueAt, value: forecast.dueAt },
              { key: DueAtProvisional, value: forecast.dueAtProvisional },
            ]
          : []),
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
    // Whose submission this number holds: another caller's (or one whose key was not recorded) is passed over.
    if (existing.memo?.intakeKeyHash !== keyHash) return undefined;
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

/**
 * The suggestion's line in the Temporal UI (user metadata): tracking number, category, district
 * (as the city's profile names them) and channel in Chinese and English. Only those words, none of
 * the proposer's.
 */
export function workflowSummary(
  trackingNumber: string,
  s: { category: CategoryCode; district: DistrictCode; channel: ChannelCode },
  profile: Pick<CityProfile, 'label'>,
): string {
  const named = (kind: 'category' | 'district', code: string) => `${profile.label(kind, code, 'zh')} ${profile.label(kind, code, 'en')}`;
  return [trackingNumber, named('category', s.category), named('district', s.district), bilingual(channelWords, s.channel)].join(' · ');
}
