import { campaignRefusal } from '../domain/campaign';
import type { Database } from '../prisma/client';
import { Problem } from './problem';

// Intake's side of proactive collection: a submission naming a campaign is taken only while the
// campaign is open (Art 8: a campaign publishes its deadline), and its topic is remembered for the digest.

interface CampaignSubmission {
  campaignId?: string;
  campaignTopic?: string;
}

/** Refuses, before anything is registered, a submission to a campaign that is not taking any. */
export async function admitToCampaign(db: Database, body: CampaignSubmission, receivedAt: Date): Promise<void> {
  if (!body.campaignId) return;
  const campaign = await db.campaign.findUnique({ where: { id: body.campaignId } });
  if (!campaign) throw new Problem(422, 'unknown-campaign', 'Unknown campaign', `there is no campaign ${body.campaignId}`);
  const refusal = campaignRefusal(campaign, receivedAt, body.campaignTopic);
  if (refusal)
    throw new Problem(refusal.status, refusal.type, 'Campaign not taking this submission', refusal.detail, {
      opensAt: campaign.opensAt.toISOString(),
      closesAt: campaign.closesAt.toISOString(),
    });
}

/** Records which topic a registered campaign submission answers; a retried submission writes it once. */
export async function recordCampaignEntry(db: Database, suggestionId: string, body: CampaignSubmission): Promise<void> {
  if (!body.campaignId) return;
  await db.campaignEntry.upsert({
    where: { suggestionId },
    create: { suggestionId, campaignId: body.campaignId, topic: body.campaignTopic ?? null },
    update: {},
  });
}
