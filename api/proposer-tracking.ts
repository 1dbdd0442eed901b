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
  'merged_into',
  'unmerged',
  'campaign_feedback',
  'closed',
]);

const at = (what: string) => z.string().describe(`${what} (ISO 8601, UTC)`);

export const proposerStatus = z
  .object({
    trackingNumber: z.string().describe('the tracking number (建议编号)'),
    title: z.string().describe("the proposer's title"),
    status: z.string().describe('where the suggestion is: received, triage, handling, replied, implementing, implemented, closed …'),
    receivedAt: at('when it was received'),
    department: z.string().optional().describe('the department handling it (its code)'),
    dueAt: at('the deadline it is handled by now').optional(),
    dueAtProvisional: z
      .boolean()
      .optional()
      .describe('the date is counted on the forecast of a year whose holiday schedule is not published yet, and may still move'),
    decision: z
      .object({
        outcome: z.string().describe('adopted, partially_adopted, for_reference or not_adopted'),
        reason: z.string().optional().describe('why it was not (fully) adopted'),
        reply: z.string().describe('the reply to the proposer'),
        decidedAt: at('when it was decided'),
      })
      .optional()
      .describe('the decision, once it has been replied to the proposer'),
    implementation: z
      .object({
        summary: z.string().describe('what changes'),
        implementedAt: at('when every milestone was done').optional(),
        milestones: z
          .array(
            z.object({
              title: z.string().describe('the step'),
              dueAt: at('when it is due'),
              percent: z.number().describe('how far it is, 0–100'),
              done: z.boolean().describe('whether it is done'),
              reports: z
                .array(
                  z.object({
                    at: z.string().describe('when the department reported'),
                    percent: z.number().int().describe('how far the milestone was then, 0–100'),
                    note: z.string().describe('what the department says was done'),
                    evidenceUrl: z.string().optional().describe('an http(s) link to evidence the department published (a notice, a photo)'),
                    evidence: z
                      .array(z.string())
                      .optional()
                      .describe('ids of the photos and documents attached: GET /v1/suggestions/{id}/tracking/attachments/{attachmentId} (and …/thumbnail)'),
                  }),
                )
                .describe("the department's progress reports, oldest first; who wrote them is not shown"),
            }),
          )
          .describe('the steps of the plan'),
      })
      .optional()
      .describe('how an adopted suggestion is being carried out (落实情况)'),
    satisfaction: z
      .object({
        state: z.string().describe('not_yet, awaiting (the proposer may rate now), rated or not_rated'),
        windowEndsAt: at('awaiting: the last moment to rate').optional(),
        ratings: z
          .array(
            z.object({
              rating: z.string().describe('satisfied, basically_satisfied or dissatisfied'),
              comment: z.string().optional().describe("the proposer's words"),
              at: at('when it was given'),
              round: z.number().describe('1, or 2 after a re-handling round'),
            }),
          )
          .describe("the proposer's ratings"),
        rehandlingDueAt: at('dissatisfied: the deadline of the re-handling round').optional(),
      })
      .describe("the proposer's rating (满意度)"),
    campaignResults: z
      .object({
        summary: z.string().describe("the campaign's collective results"),
        url: z.string().optional().describe('where they are published'),
        publishedAt: at('when they were published'),
      })
      .optional()
      .describe("a campaign suggestion: the campaign's results (集中反馈)"),
    timeline: z
      .array(z.object({ type: z.string().describe('what happened: registered, assigned, decided, replied, milestone_progress …'), at: at('when') }))
      .describe('what happened, oldest first; never who did it'),
  })
  .describe('What the proposer is shown of their suggestion: never staff names or internal notes')
  .meta({
    examples: [
      {
        trackingNumber: 'JY-20261126-7K3QXM',
        title: '国定路公交站加装候车亭',
        status: 'implementing',
        receivedAt: '2026-11-26T01:12:40.000Z',
        department: 'transport',
        dueAt: '2026-12-26T15:59:59.999Z',
        decision: {
          outcome: 'adopted',
          reply: '感谢您的建议。我委已会同杨浦区完成现场踏勘，将于明年一季度在国定路政通路口公交站加装候车亭和到站信息屏。',
          decidedAt: '2026-12-08T06:30:00.000Z',
        },
        implementation: {
          summary: '国定路政通路口公交站加装带座椅的候车亭和到站信息屏。',
          milestones: [
            {
              title: '现场踏勘和方案设计',
              dueAt: '2027-01-06T15:59:59.999Z',
              percent: 60,
              done: false,
              reports: [
                {
                  at: '2026-12-15T02:00:00.000Z',
                  percent: 60,
                  note: '已完成现场踏勘，候车亭选址在站台东侧。',
                  evidenceUrl: 'https://jtw.sh.gov.cn/gsgg/20261215/guoding-road-shelter.html',
                },
              ],
            },
          ],
        },
        satisfaction: { state: 'awaiting', windowEndsAt: '2026-12-29T15:59:59.999Z', ratings: [] },
        timeline: [
          { type: 'registered', at: '2026-11-26T01:12:40.000Z' },
          { type: 'assigned', at: '2026-11-26T01:12:41.000Z' },
          { type: 'decided', at: '2026-12-08T06:30:00.000Z' },
          { type: 'replied', at: '2026-12-08T06:30:02.000Z' },
          { type: 'milestone_progress', at: '2026-12-15T02:00:00.000Z' },
        ],
      },
    ],
  });

/** The proposer's secret from intake, in its header: documented and validated like any parameter. */
export const tokenHeaders = z.object({ [trackingTokenHeader]: z.string().min(1).max(200).describe('the tracking token the intake receipt gave') });

export const ratingBody = z
  .object({
    rating: z.enum(satisfactionRatings).describe('satisfied, basically satisfied, or dissatisfied (which opens one re-handling round)'),
    comment: z
      .string()
      .trim()
      .max(2000)
      .optional()
      .describe("the proposer's words on the handling")
      .meta({ examples: ['候车亭已建成，希望早日装上到站信息屏。'] }),
  })
  .strict()
  .describe("The proposer's rating of the handling (满意度)")
  .meta({ examples: [{ rating: 'basically_satisfied', comment: '候车亭已建成，希望早日装上到站信息屏。' }] });

/** The suggestion, if the token is its own; a wrong token and an unknown number look the same. */
export async function ownSuggestion(ctx: ApiContext, id: string, token: string | undefined): Promise<SuggestionView> {
  const view = (await trackingTokenMatches(ctx.db, id, token, () => tokenHashInWorkflow(ctx, id)))
    ? ((await readSuggestion(ctx.db, id)) ?? (await queryWorkflow(ctx, id)))
    : null;
  if (!view) throw new Problem(404, 'not-found', 'Not found', `no suggestion ${id} with this tracking token`);
  return view;
}

/** The proposer's rating, through the JSON endpoint or the status page: their own suggestion only. */
export async function rate(
  ctx: ApiContext,
  id: string,
  token: string | undefined,
  body: z.output<typeof ratingBody>,
  req: { header(name: string): string | undefined },
): Promise<SuggestionView> {
  await ownSuggestion(ctx, id, token);
  // No staff actor: the proposer is known by the token alone.
  return sendAction(ctx, id, req, rateUpdate, body);
}

export function tokenOf(req: { header(name: string): string | undefined }): string | undefined {
  const parsed = tokenHeaders.safeParse({ [trackingTokenHeader]: req.header(trackingTokenHeader) });
  if (!parsed.success)
    throw new Problem(400, 'tracking-token-required', 'Tracking token required', `send the tracking token from intake in the ${trackingTokenHeader} header`);
  return parsed.data[trackingTokenHeader];
}

/** A progress report without who wrote it; evidence only as a web link (http or https). */
function reportForProposer(r: ProgressReport): { at: string; percent: number; note: string; evidenceUrl?: string; evidence?: string[] } {
  return {
    at: r.at,
    percent: r.percent,
    note: r.note,
    ...(r.evidenceUrl && isWebLink(r.evidenceUrl) ? { evidenceUrl: r.evidenceUrl } : {}),
    ...(r.evidence?.length ? { evidence: r.evidence.map((e) => e.id) } : {}),
  };
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
      ? {
          decision: {
            outcome: view.decision.outcome,
            ...(view.decision.reason ? { reason: view.decision.reason } : {}),
            reply: view.decision.reply,
            decidedAt: view.decision.decidedAt,
          },
        }
      : {}),
    ...(implementation
      ? {
          implementation: {
            summary: implementation.summary,
            ...(implementation.implementedAt ? { implementedAt: implementation.implementedAt } : {}),
            milestones: implementation.milestones.map((m) => ({
              title: m.title,
              dueAt: m.dueAt,
              percent: m.percent,
              done: m.doneAt !== undefined,
              reports: m.reports.map(reportForProposer),
            })),
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
