import type { CalendarYear } from '../domain/calendar/calendar-years';
import type { FeedbackView } from '../domain/feedback';
import type { GroupMember, MergeRecord } from '../domain/merging';
import type { RecordedDecision, SuggestionIntake, SuggestionView, TimelineEvent } from '../domain/suggestion';
import type { SuggestionStatus } from '../domain/vocabulary';
import type { OutgoingMessage } from '../notifications/outbox';
import { Alarm } from './alarm';
import { Deadlines } from './deadlines';
import { HandlingState } from './handling-state';
import { isOverdueNow } from './overdue';

/** Which deadline binds now, shown as the suggestion's `dueAt`. */
export type BindingDeadline = 'triage' | 'response' | 'rehandling';

/**
 * A suggestion's state inside its workflow. Stages change it and queue notices; every change goes
 * through `record`, which bumps the version and adds to the timeline, and the workflow writes the
 * changes into the read model before it next waits (workflows/recording.ts).
 */
export class Suggestion {
  status: SuggestionStatus = 'received';
  leadDepartment?: string;
  coDepartments: string[] = [];
  decision?: RecordedDecision;
  repliedAt?: string;
  closedAt?: string;
  /** Triage, returns, extensions, joint handling and urgency (stages/handling.ts and its neighbours). */
  readonly handling = new HandlingState();
  /** Implementation, rating and campaign feedback (stages/implementation.ts, satisfaction.ts, publication.ts). */
  readonly feedback: FeedbackView = { satisfaction: { state: 'not_yet', round: 0, ratings: [] } };
  /** Counted on the calendar the suggestion carries from its registration on (workflows/deadlines.ts). */
  deadlines = new Deadlines([]);
  binding?: BindingDeadline;
  /** Merged into another suggestion on the same matter, which answers it (stages/merging.ts). */
  mergedInto?: MergeRecord;
  /** A primary's group: the suggestions merged into it (stages/merging.ts). */
  readonly group: GroupMember[] = [];
  /** The group was told that every rating is in (stages/follow-through.ts). */
  groupTold = false;
  /** The daily sweep found the follow-up answer late (workflows/follow-up-sweep-workflow.ts). */
  lateFollowUpReported = false;
  readonly alarm = new Alarm();
  version = 0;
  /** The version the read model holds. */
  recordedVersion = 0;
  /** Bumped by every change, recorded or not, so a waiting stage looks again. */
  changes = 0;
  readonly timeline: TimelineEvent[] = [];
  /** Events not yet written to the read model, and the notices they bring. */
  private unprojected: TimelineEvent[] = [];
  private notices: OutgoingMessage[] = [];
  /** Action ids applied: a retried action is applied once. */
  private readonly applied = new Set<string>();

  constructor(readonly intake: SuggestionIntake) {
    // A suggestion about a district is its office's until one hands it up or down; a city-wide one the city's.
    this.handling.jurisdiction = intake.district;
  }

  /** The calendar the suggestion's deadlines are counted on, from its registration's plan. */
  carryCalendar(years: CalendarYear[]): void {
    this.deadlines = new Deadlines(years);
  }

  get dueAt(): Date | undefined {
    const at = this.dueAtIso;
    return at ? new Date(at) : undefined;
  }

  get dueAtIso(): string | undefined {
    switch (this.binding) {
      case 'triage':
        return this.handling.triageDueAt;
      case 'response':
        return this.handling.responseDueAt;
      case 'rehandling':
        return this.feedback.satisfaction.rehandling?.dueAt;
      default:
        return undefined;
    }
  }

  /** For a timeline entry naming the deadline `name`: says so when it is counted on a forecast year. */
  provisionalNote(name: string): { provisional?: true } {
    return this.deadlines.provisional(name) ? { provisional: true } : {};
  }

  /** The deadline shown is counted through a year whose holiday schedule is still a forecast. */
  get dueAtProvisional(): boolean {
    return this.deadlines.provisional(this.binding);
  }

  /** Whether anything is past its limit now (workflows/overdue.ts); the Overdue search attribute. */
  get overdue(): boolean {
    return isOverdueNow(this);
  }

  record(type: string, actor: string, detail?: Record<string, unknown>): TimelineEvent {
    this.version += 1;
    this.changes += 1;
    const event: TimelineEvent = { seq: this.version, type, actor, at: new Date().toISOString(), ...(detail ? { detail } : {}) };
    this.timeline.push(event);
    this.unprojected.push(event);
    return event;
  }

  /** Queues notices to go out with the changes that brought them. */
  notify(...messages: OutgoingMessage[]): void {
    this.notices.push(...messages);
  }

  /** A change that needs no timeline entry, but that a waiting stage must see. */
  touch(): void {
    this.changes += 1;
  }

  /** Hands over the events and notices since the last recording. */
  takeUnrecorded(): { events: TimelineEvent[]; notices: OutgoingMessage[] } {
    const taken = { events: this.unprojected, notices: this.notices };
    this.unprojected = [];
    this.notices = [];
    return taken;
  }

  alreadyApplied(actionId: string | undefined): boolean {
    return actionId !== undefined && this.applied.has(actionId);
  }

  markApplied(actionId: string | undefined): void {
    if (actionId !== undefined) this.applied.add(actionId);
  }

  view(): SuggestionView {
    const { proposer: _confidential, trackingTokenHash: _secret, ...intake } = this.intake;
    return {
      ...intake,
      id: intake.trackingNumber,
      status: this.status,
      leadDepartment: this.leadDepartment,
      coDepartments: this.coDepartments,
      dueAt: this.dueAtIso,
      dueAtProvisional: this.dueAtProvisional,
      overdue: this.overdue,
      decision: this.decision,
      repliedAt: this.repliedAt,
      closedAt: this.closedAt,
      jurisdiction: this.handling.jurisdiction,
      handling: this.handling.view(),
      ...(this.mergedInto ? { mergedInto: this.mergedInto } : {}),
      ...(this.group.length > 0 ? { group: { raisedBy: 1 + this.group.length, members: this.group } } : {}),
      feedback: this.feedback,
      version: this.version,
      timeline: this.timeline,
    };
  }
}
