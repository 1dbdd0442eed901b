import { Context } from '@temporalio/activity';
import { addWorkingDays, shanghaiDate, type HolidayCalendar } from '../domain/calendar';
import {
  compileDigest,
  departmentShare,
  monthlyCollectionDays,
  participatingDepartments,
  roundIdFor,
  type CampaignPlan,
  type CampaignView,
} from '../domain/campaign';
import { candidateOutcomes, outstandingScore } from '../domain/outstanding-suggestions';
import type { Outcome } from '../domain/vocabulary';
import type { Database, Prisma } from '../prisma/client';
import type { OutgoingMessage } from '../notifications/outbox';
import { refreshCollectionDays } from '../temporal-client/schedule-calendar';

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** Campaign messages are not about one suggestion: they are keyed by the campaign (or the year). */
async function enqueueOfficeMessages(tx: Prisma.TransactionClient, subject: string, messages: readonly OutgoingMessage[]): Promise<void> {
  await tx.notification.createMany({
    data: messages.map((m) => ({
      id: `${subject}:${m.key}`,
      suggestionId: null,
      recipient: m.recipient,
      channel: m.channel,
      subject: m.subject,
      body: m.body,
    })),
    skipDuplicates: true,
  });
}

export function campaignActivities(db: Database, currentCalendar: () => Promise<HolidayCalendar>) {
  return {
    /** Writes the campaign's state into `campaigns` (newer versions only) and tells the departments taking part. */
    async projectCampaign(view: CampaignView, notice?: CampaignNotice): Promise<void> {
      const messages = notice ? noticeTo(view, notice) : [];
      const workflowId = Context.current().info.workflowExecution!.workflowId;
      const row = {
        title: view.title,
        description: view.description,
        topics: view.topics,
        leadDepartment: view.leadDepartment,
        jointDepartments: view.jointDepartments,
        districts: view.districts,
        categories: view.categories,
        opensAt: new Date(view.opensAt),
        closesAt: new Date(view.closesAt),
        status: view.status,
        version: view.version,
      };
      await db.$transaction(async (tx) => {
        await tx.campaign.createMany({
          data: [{ id: view.id, kind: view.kind, collectionId: view.collectionId ?? null, workflowId, ...row }],
          skipDuplicates: true,
        });
        await tx.campaign.updateMany({ where: { id: view.id, version: { lt: view.version } }, data: row });
        await enqueueOfficeMessages(tx, `campaign:${view.id}`, messages);
      });
    },

    /**
     * Counts what the campaign received and stores the digest. The final digest (after the grace
     * period that lets the last submissions finish registering) goes to each department with its share.
     * `at` is the workflow's time of compiling, so the record says when the campaign was digested.
     */
    async compileCampaignDigest(plan: CampaignPlan, final: boolean, at: string): Promise<{ total: number; awaitingDecision: number }> {
      const [suggestions, entries] = await Promise.all([
        db.suggestion.findMany({
          where: { campaignId: plan.id },
          select: { id: true, title: true, status: true, category: true, district: true, channel: true, leadDepartment: true },
          orderBy: { receivedAt: 'asc' },
        }),
        db.campaignEntry.findMany({ where: { campaignId: plan.id } }),
      ]);
      const topics = new Map(entries.map((e) => [e.suggestionId, e.topic ?? undefined]));
      const digest = compileDigest(
        plan,
        suggestions.map((s) => ({ ...s, topic: topics.get(s.id), leadDepartment: s.leadDepartment ?? undefined })),
        new Date(at),
      );
      const messages: OutgoingMessage[] = final
        ? participatingDepartments(plan).map((code) => {
            // Its own suggestions only, like GET /v1/campaigns/{id}/digest shows a department.
            const share = departmentShare(digest, code).byDepartment[code];
            return {
              key: `digest:${code}`,
              recipient: `department:${code}`,
              channel: 'online',
              subject: `Digest of "${plan.title}": ${share.length} of ${digest.total} suggestions are yours`,
              body: share.length ? share.map((s) => `${s.id} ${s.title} (${s.status})`).join('\n') : 'No suggestion of this campaign was routed to you.',
            };
          })
        : [];
      const record = { final, total: digest.total, content: digest as unknown as Prisma.InputJsonValue, compiledAt: new Date(digest.compiledAt) };
      await db.$transaction(async (tx) => {
        await tx.campaignDigest.upsert({ where: { campaignId: plan.id }, create: { campaignId: plan.id, ...record }, update: record });
        await enqueueOfficeMessages(tx, `campaign:${plan.id}`, messages);
      });
      return { total: digest.total, awaitingDecision: digest.awaitingDecision.length };
    },

    /**
     * Opens this run's round of a recurring collection: a campaign from the collection's template,
     * open for its number of working days. Null when the collection was deleted or today's round
     * is already run by another workflow (the office triggered it twice in one day).
     */
    async openCollectionRound(collectionId: string, at: string): Promise<CampaignPlan | null> {
      const collection = await db.recurringCollection.findUnique({ where: { id: collectionId } });
      if (!collection || collection.deletedAt) return null;
      const workflowId = Context.current().info.workflowExecution!.workflowId;
      const id = roundIdFor(collectionId, shanghaiDate(new Date(at)));
      const existing = await db.campaign.findUnique({ where: { id } });
      if (existing && existing.workflowId !== workflowId) return null;
      const { title, description, topics, leadDepartment, jointDepartments, districts, categories } = collection;
      const closesAt = addWorkingDays(await currentCalendar(), new Date(at), collection.roundWorkingDays);
      return {
        id,
        kind: 'round',
        collectionId,
        title: `${title} (${shanghaiDate(new Date(at))})`,
        description,
        topics,
        leadDepartment,
        jointDepartments,
        districts,
        categories,
        opensAt: at,
        closesAt: closesAt.toISOString(),
      };
    },

    /** Keeps the collection's schedule in step with the working-day calendar (a newly loaded year). */
    async refreshCollectionSchedule(collectionId: string): Promise<void> {
      const collection = await db.recurringCollection.findUnique({ where: { id: collectionId } });
      if (!collection || collection.deletedAt) return;
      const days = monthlyCollectionDays(await currentCalendar(), new Date().getUTCFullYear() - 1);
      try {
        await refreshCollectionDays(Context.current().client, collectionId, days);
      } catch (err) {
        // Deleted between the round's start and now: nothing left to keep up to date.
        if ((err as Error).name !== 'ScheduleNotFoundError') throw err;
      }
    },

    /**
     * The year's shortlist of outstanding suggestions: every suggestion adopted or partially adopted
     * in the year, ranked by the documented score. Nominations and awards already made are kept.
     */
    async rankOutstandingSuggestions(year: number): Promise<{ year: number; candidates: number }> {
      const from = new Date(Date.UTC(year, 0, 1) - SHANGHAI_OFFSET_MS);
      const to = new Date(Date.UTC(year + 1, 0, 1) - SHANGHAI_OFFSET_MS);
      const decided = await db.suggestion.findMany({
        where: { outcome: { in: [...candidateOutcomes] }, decidedAt: { gte: from, lt: to } },
        select: { id: true, outcome: true, publishConsent: true, feedback: true, decidedAt: true },
      });
      const ranked = decided
        .map((s) => ({
          id: s.id,
          decidedAt: s.decidedAt!,
          breakdown: outstandingScore({ outcome: s.outcome as Outcome, publishConsent: s.publishConsent, ...feedbackFacts(s.feedback) }),
        }))
        .sort((a, b) => b.breakdown.total - a.breakdown.total || a.decidedAt.getTime() - b.decidedAt.getTime());
      await db.$transaction(async (tx) => {
        await tx.outstandingSuggestion.deleteMany({ where: { year, nominatedAt: null, awardedAt: null, suggestionId: { notIn: ranked.map((r) => r.id) } } });
        for (const [i, r] of ranked.entries()) {
          const score = { score: r.breakdown.total, breakdown: r.breakdown as unknown as Prisma.InputJsonValue, rank: i + 1 };
          await tx.outstandingSuggestion.upsert({
            where: { year_suggestionId: { year, suggestionId: r.id } },
            create: { year, suggestionId: r.id, ...score },
            update: score,
          });
        }
        await enqueueOfficeMessages(tx, `awards:${year}`, [
          {
            key: 'shortlist',
            recipient: 'office',
            channel: 'online',
            subject: `Outstanding suggestions ${year}: ${ranked.length} candidates`,
            body: `The ranked shortlist is at /v1/awards/${year}/candidates.`,
          },
        ]);
      });
      return { year, candidates: ranked.length };
    },
  };
}

/** Moments in a campaign's life the participating departments hear about. */
export type CampaignNotice = 'opened' | 'closing_soon' | 'extended' | 'paused' | 'resumed' | 'cancelled';

function noticeTo(view: CampaignView, notice: CampaignNotice): OutgoingMessage[] {
  const says: Record<CampaignNotice, string> = {
    opened: `is open for submissions until ${view.closesAt}`,
    closing_soon: `closes at ${view.closesAt}: one day left`,
    extended: `is extended; it now closes at ${view.closesAt}`,
    paused: 'is paused; submissions are refused until it resumes',
    resumed: `is open again until ${view.closesAt}`,
    cancelled: 'is cancelled; suggestions already received continue to be handled',
  };
  return participatingDepartments(view).map((code) => ({
    key: `${notice}:${view.version}:${code}`,
    recipient: `department:${code}`,
    channel: 'online',
    subject: `Campaign "${view.title}" ${says[notice]}`,
    body: `${view.title} (${view.id}), topics: ${view.topics.join('; ')}. Role: ${code === view.leadDepartment ? 'lead' : 'joint'} department.`,
  }));
}

/** What the score needs from the feedback stage's projection: implementation done, the latest rating. */
function feedbackFacts(feedback: unknown): { implementationCompleted: boolean; satisfaction?: string } {
  const f = (feedback ?? {}) as { implementation?: { implementedAt?: string }; satisfaction?: { ratings?: { rating?: string }[] } };
  const ratings = f.satisfaction?.ratings ?? [];
  return { implementationCompleted: Boolean(f.implementation?.implementedAt), satisfaction: ratings.at(-1)?.rating };
}
