import type { AttachmentRef } from './attachments';
import type { FeedbackView } from './feedback';
import type { HandlingView } from './handling';
import type { RecordedDecision } from './decision';
import type { ChannelSource, SealedProposer } from './intake';
import type { GroupView, MergeRecord } from './merging';
import type { Place } from './place';
import type { Category, Channel, District, SuggestionStatus } from './vocabulary';

/** What the workflow is started with: the registered suggestion. */
export interface SuggestionIntake {
  trackingNumber: string;
  title: string;
  content: string;
  category: Category;
  district: District;
  channel: Channel;
  /** ISO instant the suggestion reached the city; deadlines count from its Shanghai day. */
  receivedAt: string;
  campaignId?: string;
  publishConsent: boolean;
  /** Where the matter is (coordinates in WGS-84); public on the board with the proposer's consent. */
  place?: Place;
  /** The proposer's photos and documents: references to encrypted objects, never the bytes. */
  attachments?: AttachmentRef[];
  /** Confidential (建议人信息保密): never in search attributes, memos, logs or public views. */
  proposer: SealedProposer;
  /**
   * Hash of the proposer's tracking token (查询码), for registration to keep when the API could not
   * (PostgreSQL unreachable at intake). Never shown in a view.
   */
  trackingTokenHash?: string;
}

/** One line of the timeline: who did what, when and why. */
export interface TimelineEvent {
  seq: number;
  type: string;
  actor: string;
  at: string;
  detail?: Record<string, unknown>;
}

// Where the workflows have always imported it from.
export type { RecordedDecision } from './decision';

/** The suggestion as staff see it: the workflow's query result and the API's representation. */
export interface SuggestionView {
  id: string;
  trackingNumber: string;
  status: SuggestionStatus;
  title: string;
  content: string;
  category: Category;
  district: District;
  channel: Channel;
  campaignId?: string;
  /** The campaign's topic it answers, as registered (the workflow's view; the read model keeps the entry apart). */
  campaignTopic?: string;
  /** The channel's own fields as registered (the workflow's view only). */
  source?: ChannelSource;
  publishConsent: boolean;
  place?: Place;
  attachments?: AttachmentRef[];
  receivedAt: string;
  leadDepartment?: string;
  coDepartments: string[];
  dueAt?: string;
  /** dueAt is counted through a year whose holiday schedule is still a forecast: the official one may move it. */
  dueAtProvisional?: boolean;
  overdue: boolean;
  decision?: RecordedDecision;
  repliedAt?: string;
  closedAt?: string;
  /** The level that holds it (city, a district's code, a street's nine digits): its office routes and supervises it. */
  jurisdiction?: string;
  /** Triage, returns, extensions, co-handling opinions, urgency, out-of-scope closure, hand-overs. */
  handling?: HandlingView;
  /** Merged into another suggestion on the same matter (合并办理), which answers it. */
  mergedInto?: MergeRecord;
  /** A primary: the suggestions merged into it, and how many people raised the matter. */
  group?: GroupView;
  /** Implementation, the proposer's rating, campaign feedback: what follows the decision. */
  feedback?: FeedbackView;
  /** Bumped by every event; a projection never overwrites a newer one. */
  version: number;
  timeline: TimelineEvent[];
}
