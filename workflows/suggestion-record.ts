import type { FeedbackView } from '../domain/feedback';
import type { RecordedDecision, SuggestionIntake, SuggestionView, TimelineEvent } from '../domain/suggestion';
import type { SuggestionStatus } from '../domain/vocabulary';
import { Alarm } from './alarm';
import { HandlingState } from './handling-state';
import { isOverdueNow } from './overdue';

/**
 * The suggestion's state inside its workflow. Every change goes through `record`, which bumps the
 * version and appends to the timeline, so projections can be ordered and deduplicated.
 */
export class SuggestionRecord {
  status: SuggestionStatus = 'received';
  leadDepartment?: string;
  coDepartments: string[] = [];
  dueAt?: Date;
  decision?: RecordedDecision;
  repliedAt?: string;
  closedAt?: string;
  /** Triage, returns, extensions, joint handling and urgency (stages/handling.ts). */
  readonly handling = new HandlingState();
  /** Implementation, rating and campaign feedback (stages/implementation.ts, satisfaction.ts, publication.ts). */
  readonly feedback: FeedbackView = { satisfaction: { state: 'not_yet', round: 0, ratings: [] } };
  /**
   * Started under the lean lifecycle (workflows/alarm.ts): registered in its first workflow task,
   * one alarm for all its waits, the follow-up request queued for its day.
   */
  lean = false;
  /**
   * Started as suggestionWorkflowV2: registered and looked up for routing in one local activity
   * (stages/registration.ts), every gathered change taken without a patch (workflows/changes.ts).
   */
  lookUpAtRegistration = false;
  /** The one durable timer of a lean suggestion's waits. */
  readonly alarm = new Alarm();
  /** The daily sweep found the follow-up answer late (workflows/follow-up-sweep-workflow.ts). */
  lateFollowUpReported = false;
  version = 0;
  readonly timeline: TimelineEvent[] = [];
  /** Events not yet written to the read model. */
  private unprojected: TimelineEvent[] = [];

  constructor(readonly intake: SuggestionIntake) {}

  /** Whether anything is past its limit now (workflows/overdue.ts); the Overdue search attribute. */
  get overdue(): boolean {
    return isOverdueNow(this);
  }

  record(type: string, actor: string, detail?: Record<string, unknown>): TimelineEvent {
    this.version += 1;
    const event: TimelineEvent = { seq: this.version, type, actor, at: new Date().toISOString(), ...(detail ? { detail } : {}) };
    this.timeline.push(event);
    this.unprojected.push(event);
    return event;
  }

  /** Hands over the events since the last projection. */
  takeUnprojected(): TimelineEvent[] {
    const events = this.unprojected;
    this.unprojected = [];
    return events;
  }

  view(): SuggestionView {
    const { proposer: _confidential, trackingTokenHash: _secret, ...intake } = this.intake;
    return {
      ...intake,
      id: intake.trackingNumber,
      status: this.status,
      leadDepartment: this.leadDepartment,
      coDepartments: this.coDepartments,
      dueAt: this.dueAt?.toISOString(),
      overdue: this.overdue,
      decision: this.decision,
      repliedAt: this.repliedAt,
      closedAt: this.closedAt,
      handling: this.handling.view(),
      feedback: this.feedback,
      version: this.version,
      timeline: this.timeline,
    };
  }
}
