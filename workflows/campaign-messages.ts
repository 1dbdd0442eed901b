import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CampaignView } from '../domain/campaign';
import type { Issued } from './issued-for';

/** Who in the collection office acts (the API key's label), and why. */
export interface CampaignAction extends Issued {
  actor: string;
  reason?: string;
}

export interface ExtendCampaign extends CampaignAction {
  closesAt: string;
}

export const campaignQuery = defineQuery<CampaignView>('campaign');

/** The office moves the closing time later (延期). */
export const extendCampaignUpdate = defineUpdate<CampaignView, [ExtendCampaign]>('extendCampaign');
/** The office stops taking submissions for a while; the closing time stays. */
export const pauseCampaignUpdate = defineUpdate<CampaignView, [CampaignAction]>('pauseCampaign');
export const resumeCampaignUpdate = defineUpdate<CampaignView, [CampaignAction]>('resumeCampaign');
/** The campaign ends without a digest; suggestions already received keep their own workflows. */
export const cancelCampaignUpdate = defineUpdate<CampaignView, [CampaignAction]>('cancelCampaign');
