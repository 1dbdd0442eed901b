import type { CancellationScope } from '@temporalio/workflow';
import type { ExtensionRecord, HandlingView, HandoverRecord, OpinionRecord, OutOfScopeRecord, ReturnRecord } from '../domain/handling';
import type { FeedbackTerms } from '../domain/feedback-terms';
import type { HandlingPolicy, TimeLimits } from '../domain/time-limits';

/** When to remind the lead department (催办): this many working days before the deadline, at `at`. */
export interface ReminderTime {
  offset: number;
  at: string;
}

/** The handling part of a suggestion's state inside its workflow (see domain/handling.ts). */
export class HandlingState {
  urgent = false;
  limits?: TimeLimits;
  policy?: HandlingPolicy;
  /** The terms after the decision as they were on arrival. */
  feedbackTerms?: FeedbackTerms;
  triageDueAt?: string;
  responseDueAt?: string;
  assignedAt?: string;
  returnableUntil?: string;
  returns: ReturnRecord[] = [];
  officeOnly = false;
  extensions: ExtensionRecord[] = [];
  opinions: OpinionRecord[] = [];
  remindersSent: string[] = [];
  outOfScope?: OutOfScopeRecord;
  /** The level that holds it (city, a district, a street): set from the intake, moved by a hand-over. */
  jurisdiction?: string;
  handovers: HandoverRecord[] = [];

  /** Bumped by every assignment, so a routing result that arrives after a newer one is dropped. */
  assignments = 0;
  /** A return asked for automatic routing again. */
  rerouteRequested = false;
  /** The deadline the last escalation was for: one escalation per deadline. */
  escalatedFor?: string;
  /** The reminders planned for the deadline and department that bind now (`key`), as planned at `plannedAt`. */
  reminderPlan?: { key: string; plannedAt: number; times: ReminderTime[] };
  /** The running co-handling child workflows of the current assignment. */
  jointScope?: CancellationScope;

  pendingExtension(): ExtensionRecord | undefined {
    return this.extensions.find((e) => e.status === 'pending');
  }

  pendingOpinions(): OpinionRecord[] {
    return this.opinions.filter((o) => o.status === 'pending');
  }

  view(): HandlingView {
    return {
      urgent: this.urgent,
      limits: this.limits,
      policy: this.policy,
      triageDueAt: this.triageDueAt,
      responseDueAt: this.responseDueAt,
      assignedAt: this.assignedAt,
      returnableUntil: this.returnableUntil,
      returns: this.returns,
      officeOnly: this.officeOnly,
      extensions: this.extensions,
      opinions: this.opinions,
      remindersSent: this.remindersSent,
      outOfScope: this.outOfScope,
      handovers: this.handovers,
    };
  }
}
