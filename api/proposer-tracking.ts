import { z } from 'zod';
import type { ProgressReport } from '../domain/implementation';
import type { SuggestionView } from '../domain/suggestion';
import { satisfactionRatings } from '../domain/vocabulary';
import { rateUpdate } from '../workflows/feedback-messages';
import { sendAction } from './action-endpoint';
import type { ApiContext } from './context';
import { Problem } from './problem';
import { readSuggestion } from './read-model';
import { queryWorkflow, tokenHashInWorkflow } from './suggestion-client';
import { trackingTokenHeader, trackingTokenMatches } from './tracking-token';

// The proposer's own view (查询, 评价): with the tracking number and the secret token from intake
// they follow their suggestion and rate the handling. They see what concerns them: the outcome,
// the reply, the progress with what the departments reported on it, their ratings, and when things
// happened; never staff names or the offices' internal notes.

/** Timeline events the proposer is shown, by type; everything else is internal to the offices. */
export const proposerEvents = new Set([
  'registered',
  'assigned',
  'reassigned',
  'decided',
  'decided_again',
  'replied',
  'implementation_started',
  'plan_revised',
  'milestone_progress',
  'milestone_done',
  'implemented',
  'rated',
  'not_rated',
  'rehandling_opened',
  'campaign_feedback',
  'closed',
]);

export const proposerStatus = z.object({
  trackingNumber: z.string(),
  title: z.string(),
  status: z.string(),
  receivedAt: z.string(),
  department: z.string().optional(),
  dueAt: z.string().optional(),
  dueAtProvisional: z.boolean().optional().describe('the date is counted on the forecast of a year whose holiday schedule is not published yet, and may still move'),
  decision: z.object({ outcome: z.string(), reason: z.string().optional(), reply: z.string(), decidedAt: z.string() }).optional(),
  implementation: z
    .object({
      summary: z.string(),
      implementedAt: z.string().optional(),
      milestones: z.array(
        z.object({
          title: z.string(),
          dueAt: z.string(),
          percent: z.number(),
          done: z.boolean(),
          reports: z
            .array(
              z.object({
                at: z.string().describe('when the department reported'),
                percent: z.number().int().describe('how far the milestone was then, 0–100'),
                note: z.string().describe('what the department says was done'),
                evidenceUrl: z.string().optional().describe('an http(s) link to evidence the department published (a notice, a photo)'),
              }),
            )
            .describe("the department's progress reports, oldest first; who wrote them is not shown"),
        }),
      ),
    })
    .optional(),
  satisfaction: z.object({
    state: z.string(),
    windowEndsAt: z.string().optional(),
    ratings: z.array(z.object({ rating: z.string(), comment: z.string().optional(), at: z.string(), round: z.number() })),
    rehandlingDueAt: z.string().optional(),
  }),
  campaignResults: z.object({ summary: z.string(), url: z.string().optional(), publishedAt: z.string() }).optional(),
  timeline: z.array(z.object({ type: z.string(), at: z.string() })),
});

const tokenHeaders = z.object({ [trackingTokenHeader]: z.string().min(1).max(200) });

export const ratingBody = z
  .object({
    rating: z.enum(satisfactionRatings),
    comment: z.string().trim().max(2000).optional(),
  })
  .strict();

/** The suggestion, if the token is its own; a wrong token and an unknown number look the same. */
export async function ownSuggestion(ctx: ApiContext, id: string, token: string | undefined): Promise<SuggestionView> {
  const view = (await trackingTokenMatches(ctx.db, id, token, () => tokenHashInWorkflow(ctx, id))) ? ((await readSuggestion(ctx.db, id)) ?? (await queryWorkflow(ctx, id))) : null;
  if (!view) throw new Problem(404, 'not-found', 'Not found', `no suggestion ${id} with this tracking token`);
  return view;
}

/** The proposer's rating, through the JSON endpoint or the status page: their own suggestion only. */
export async function rate(ctx: ApiContext, id: string, token: string | undefined, body: z.output<typeof ratingBody>, req: { header(name: string): string | undefined }): Promise<SuggestionView> {
  await ownSuggestion(ctx, id, token);
  // No staff actor: the proposer is known by the token alone.
  return sendAction(ctx, id, req, rateUpdate, body);
}

export function tokenOf(req: { header(name: string): string | undefined }): string | undefined {
  const parsed = tokenHeaders.safeParse({ [trackingTokenHeader]: req.header(trackingTokenHeader) });
  if (!parsed.success) throw new Problem(400, 'tracking-token-required', 'Tracking token required', `send the tracking token from intake in the ${trackingTokenHeader} header`);
  return parsed.data[trackingTokenHeader];
}

/** A progress report without who wrote it; evidence only as a web link (http or https). */
function reportForProposer(r: ProgressReport): { at: string; percent: number; note: string; evidenceUrl?: string } {
  return { at: r.at, percent: r.percent, note: r.note, ...(r.evidenceUrl && isWebLink(r.evidenceUrl) ? { evidenceUrl: r.evidenceUrl } : {}) };
}

/** Whether a link is an absolute http(s) address: nothing else is ever offered as one to a citizen. */
export function isWebLink(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}

export function forProposer(view: SuggestionView): z.infer<typeof proposerStatus> {
  const implementation = view.feedback?.implementation;
  const satisfaction = view.feedback?.satisfaction;
  const campaign = view.feedback?.campaignFeedback;
  const rehandling = satisfaction?.rehandling;
  return {
    trackingNumber: view.trackingNumber,
    title: view.title,
    status: view.status,
    receivedAt: view.receivedAt,
    ...(view.leadDepartment ? { department: view.leadDepartment } : {}),
    ...(view.dueAt && view.status !== 'closed' ? { dueAt: view.dueAt, ...(view.dueAtProvisional ? { dueAtProvisional: true } : {}) } : {}),
    // The decision is the proposer's once it has been replied to them.
    ...(view.decision && view.repliedAt
      ? { decision: { outcome: view.decision.outcome, ...(view.decision.reason ? { reason: view.decision.reason } : {}), reply: view.decision.reply, decidedAt: view.decision.decidedAt } }
      : {}),
    ...(implementation
      ? {
          implementation: {
            summary: implementation.summary,
            ...(implementation.implementedAt ? { implementedAt: implementation.implementedAt } : {}),
            milestones: implementation.milestones.map((m) => ({ title: m.title, dueAt: m.dueAt, percent: m.percent, done: m.doneAt !== undefined, reports: m.reports.map(reportForProposer) })),
          },
        }
      : {}),
    satisfaction: {
      state: satisfaction?.state ?? 'not_yet',
      ...(satisfaction?.state === 'awaiting' ? { windowEndsAt: satisfaction.windowEndsAt } : {}),
      ratings: (satisfaction?.ratings ?? []).map((r) => ({ rating: r.rating, ...(r.comment ? { comment: r.comment } : {}), at: r.at, round: r.round })),
      ...(rehandling && !rehandling.decidedAt ? { rehandlingDueAt: rehandling.dueAt } : {}),
    },
    ...(campaign ? { campaignResults: { summary: campaign.summary, ...(campaign.url ? { url: campaign.url } : {}), publishedAt: campaign.publishedAt } } : {}),
    timeline: view.timeline.filter((e) => proposerEvents.has(e.type)).map((e) => ({ type: e.type, at: e.at })),
  };
}
