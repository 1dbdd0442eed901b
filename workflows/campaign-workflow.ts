/**
 * A thematic or joint campaign (专题征集 / 联合征集), and each round of a recurring collection.
 *
 * Why the campaign keeps its own timers rather than a Temporal Schedule: a campaign happens once,
 * in a window the office may extend, pause or cancel while it runs. A workflow timer is durable,
 * costs one action, and `condition(..., timeout)` is re-armed the moment an extension moves the
 * closing time; a Schedule would need a second process to hold the campaign's state and would fire
 * at times fixed in advance. Schedules are used where something recurs: each recurring collection
 * is a Schedule whose runs start a round (collection-round-workflow.ts), and the yearly selection
 * of outstanding suggestions is one (award-selection-workflow.ts).
 *
 * The life of a campaign: scheduled → open (departments told) → a reminder a day before closing →
 * closed → a provisional digest at once, the final digest after a grace period (late registrations
 * settle) sent to every department with its share. Submissions are checked against the window by
 * the API when they arrive; the suggestions received keep their own workflows whatever happens here.
 */
import { allHandlersFinished, condition, setHandler, sleep } from '@temporalio/workflow';
import type { CampaignPlan, CampaignStatus, CampaignView } from '../domain/campaign';
import { compileCampaignDigest, projectCampaign } from './campaign-activities';
import {
  cancelCampaignUpdate,
  campaignQuery,
  extendCampaignUpdate,
  pauseCampaignUpdate,
  resumeCampaignUpdate,
  type CampaignAction,
  type ExtendCampaign,
} from './campaign-messages';
import { refuseUnlessIssuedHere, refuseUnsealedInput } from './issued-for';
import { refuse } from './refusals';

const reminderLeadMs = 24 * 3600_000;
/** Long enough for a submission accepted in the last second to finish registering. */
export const digestGrace = '10 minutes';

export async function campaignWorkflow(plan: CampaignPlan): Promise<CampaignView> {
  refuseUnsealedInput(plan);
  return runCampaign(plan);
}

class CampaignRecord {
  status: CampaignStatus = 'scheduled';
  closesAt: Date;
  digestFinal = false;
  version = 1;

  constructor(readonly plan: CampaignPlan) {
    this.closesAt = new Date(plan.closesAt);
  }

  change(status: CampaignStatus = this.status): void {
    this.status = status;
    this.version += 1;
  }

  view(): CampaignView {
    return { ...this.plan, closesAt: this.closesAt.toISOString(), status: this.status, digestFinal: this.digestFinal, version: this.version };
  }
}

export async function runCampaign(plan: CampaignPlan): Promise<CampaignView> {
  const campaign = new CampaignRecord(plan);
  const cancelled = () => campaign.status === 'cancelled';
  handleOfficeActions(campaign);

  await projectCampaign(campaign.view());
  const opensAt = new Date(plan.opensAt).getTime();
  if (Date.now() < opensAt) await condition(cancelled, opensAt - Date.now(), { summary: 'campaign opens' });
  if (!cancelled()) {
    campaign.change('open');
    await projectCampaign(campaign.view(), 'opened');
    await awaitClose(campaign);
  }
  if (!cancelled()) {
    campaign.change('closed');
    await projectCampaign(campaign.view());
    await compileCampaignDigest(campaign.view(), false, new Date().toISOString());
    await sleep(digestGrace);
    await compileCampaignDigest(campaign.view(), true, new Date().toISOString());
    campaign.digestFinal = true;
    campaign.change();
    await projectCampaign(campaign.view());
  }
  await condition(allHandlersFinished);
  return campaign.view();
}

/** Sleeps until the closing time, re-arming when the office extends it; reminds a day before. */
async function awaitClose(campaign: CampaignRecord): Promise<void> {
  // A window of two days or less needs no reminder: the opening notice says when it closes.
  let reminded = campaign.closesAt.getTime() - new Date(campaign.plan.opensAt).getTime() <= 2 * reminderLeadMs;
  while (campaign.status !== 'cancelled') {
    const closesAt = campaign.closesAt;
    const remindAt = closesAt.getTime() - reminderLeadMs;
    if (Date.now() >= closesAt.getTime()) return;
    if (!reminded && Date.now() >= remindAt) {
      reminded = true;
      await projectCampaign(campaign.view(), 'closing_soon');
      continue;
    }
    const wakeAt = reminded ? closesAt.getTime() : remindAt;
    const moved = await condition(() => campaign.status === 'cancelled' || campaign.closesAt !== closesAt, wakeAt - Date.now(), {
      summary: reminded ? 'campaign closes' : 'reminder before closing',
    });
    // An extension past the reminder's moment earns the departments a fresh reminder.
    if (moved && campaign.closesAt.getTime() - reminderLeadMs > Date.now()) reminded = false;
  }
}

function handleOfficeActions(campaign: CampaignRecord): void {
  const running = (action: string) => {
    if (campaign.status === 'closed' || campaign.status === 'cancelled') refuse('WrongState', `a ${campaign.status} campaign cannot be ${action}`);
  };
  const apply = async (status: CampaignStatus, notice: 'extended' | 'paused' | 'resumed' | 'cancelled') => {
    campaign.change(status);
    await projectCampaign(campaign.view(), notice);
    return campaign.view();
  };
  setHandler(campaignQuery, () => campaign.view());
  setHandler(
    extendCampaignUpdate,
    (request: ExtendCampaign) => {
      campaign.closesAt = new Date(request.closesAt);
      return apply(campaign.status, 'extended');
    },
    {
      validator: (request) => {
        refuseUnlessIssuedHere(request);
        running('extended');
        if (!(new Date(request.closesAt).getTime() > campaign.closesAt.getTime()))
          refuse('InvalidAction', `an extension closes later than ${campaign.closesAt.toISOString()}`);
      },
    },
  );
  setHandler(pauseCampaignUpdate, (_request: CampaignAction) => apply('paused', 'paused'), {
    validator: (request: CampaignAction) => {
      refuseUnlessIssuedHere(request);
      if (campaign.status !== 'open') refuse('WrongState', `only an open campaign can be paused; this one is ${campaign.status}`);
    },
  });
  setHandler(resumeCampaignUpdate, (_request: CampaignAction) => apply('open', 'resumed'), {
    validator: (request: CampaignAction) => {
      refuseUnlessIssuedHere(request);
      if (campaign.status !== 'paused') refuse('WrongState', `only a paused campaign can be resumed; this one is ${campaign.status}`);
    },
  });
  setHandler(cancelCampaignUpdate, (_request: CampaignAction) => apply('cancelled', 'cancelled'), {
    validator: (request: CampaignAction) => {
      refuseUnlessIssuedHere(request);
      running('cancelled');
      if (!request.reason || request.reason.trim().length < 2) refuse('InvalidAction', 'a cancellation gives its reason');
    },
  });
}
