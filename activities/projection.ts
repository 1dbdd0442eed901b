import type { SuggestionIntake, SuggestionView, TimelineEvent } from '../domain/suggestion';
import { Prisma, type Database } from '../prisma/client';
import { workflowIdFor } from '../domain/tracking-number';
import { queueMessagesSql, type OutgoingMessage } from '../notifications/outbox';
import { suggestionTermsSql } from './suggestion-terms';

// Writes the workflow's state into the read model. Idempotent: a row only moves forward in
// version, timeline events are keyed by (suggestion, seq) and messages by their key.
//
// Each write is one SQL statement: its parts (the row, the events, the messages) are data-modifying
// WITH queries, so they commit together without a transaction's round trips. Registration and
// projection run for every new suggestion and every change of state; through the ORM they took
// about ten times the worker's CPU (docs/BENCHMARKS.md, intake). Times are written from here, in
// UTC as the ORM writes them, never from the database's clock and time zone.

/** The columns that follow the workflow's state, keyed as PostgreSQL's jsonb_populate_record reads them. */
function stateOf(view: SuggestionView, now: string) {
  return {
    id: view.id,
    status: view.status,
    lead_department: view.leadDepartment ?? null,
    co_departments: view.coDepartments,
    due_at: view.dueAt ?? null,
    due_at_provisional: view.dueAtProvisional ?? false,
    merged_into: view.mergedInto?.into ?? null,
    raised_by: view.group?.raisedBy ?? 1,
    grouping:
      view.mergedInto || view.group ? { ...(view.mergedInto ? { mergedInto: view.mergedInto } : {}), ...(view.group ? { group: view.group } : {}) } : null,
    overdue: view.overdue,
    handling: view.handling ?? null,
    // Older histories carry no holder: a suggestion is its district's (or the city's) until handed on.
    jurisdiction: view.jurisdiction ?? view.district,
    feedback: view.feedback ?? null,
    outcome: view.decision?.outcome ?? null,
    decision_reason: view.decision?.reason ?? null,
    reply: view.decision?.reply ?? null,
    decided_at: view.decision?.decidedAt ?? null,
    replied_at: view.repliedAt ?? null,
    closed_at: view.closedAt ?? null,
    version: view.version,
    updated_at: now,
  };
}

/** The timeline events and the messages (the outbox) a change of state brings, as WITH queries. */
function eventsAndMessages(id: string, events: readonly TimelineEvent[], messages: readonly OutgoingMessage[], now: string): Prisma.Sql {
  const timeline = events.map((e) => ({ seq: e.seq, type: e.type, actor: e.actor, at: e.at, detail: e.detail ?? {} }));
  return Prisma.sql`
    events AS (
      INSERT INTO suggestion_events (suggestion_id, seq, type, actor, at, detail)
      SELECT ${id}, e.seq, e.type, e.actor, e.at, e.detail
      FROM jsonb_to_recordset(${JSON.stringify(timeline)}::jsonb) AS e(seq int, type text, actor text, at timestamp, detail jsonb)
      ON CONFLICT DO NOTHING
    ),
    messages AS (${queueMessagesSql(id, messages, now)}
    )`;
}

export function projectionActivities(db: Database) {
  return {
    /**
     * Registers a new suggestion: its row (at the state the workflow gives), the proposer's details
     * kept apart, the tracking token's hash, its events and the acknowledgement. A retried
     * registration writes nothing twice: every row is inserted only if it is not there yet. The
     * rows of `reading`, a SELECT of the caller's, are the answer.
     */
    async writeRegistration<Row = unknown>(
      intake: SuggestionIntake,
      view: SuggestionView,
      events: TimelineEvent[],
      messages: OutgoingMessage[],
      reading?: Prisma.Sql,
    ): Promise<Row[]> {
      const now = new Date().toISOString();
      const registered = {
        ...stateOf(view, now),
        created_at: now,
        tracking_number: view.trackingNumber,
        workflow_id: workflowIdFor(view.trackingNumber),
        channel: view.channel,
        category: view.category,
        district: view.district,
        title: view.title,
        content: view.content,
        campaign_id: view.campaignId ?? null,
        received_at: view.receivedAt,
        publish_consent: view.publishConsent,
        street: intake.place?.street ?? null,
        place: intake.place ?? null,
      };
      // Sealed at intake with the proposer's own data key: stored as it came, never opened here.
      const { proposer } = intake;
      // `reading`: what the caller reads in the same statement (registration: what routing needs), one round trip.
      return db.$queryRaw<Row[]>`
        WITH registered AS (
          INSERT INTO suggestions (id, tracking_number, workflow_id, channel, category, district, title, content, status, lead_department,
            co_departments, campaign_id, received_at, due_at, due_at_provisional, overdue, handling, feedback, outcome, decision_reason, reply,
            decided_at, replied_at, closed_at, publish_consent, jurisdiction, street, place, version, created_at, updated_at)
          SELECT id, tracking_number, workflow_id, channel, category, district, title, content, status, lead_department,
            co_departments, campaign_id, received_at, due_at, due_at_provisional, overdue, handling, feedback, outcome, decision_reason, reply,
            decided_at, replied_at, closed_at, publish_consent, jurisdiction, street, place, version, created_at, updated_at
          FROM jsonb_populate_record(NULL::suggestions, ${JSON.stringify(registered)}::jsonb)
          ON CONFLICT DO NOTHING
        ),
        proposer AS (
          INSERT INTO proposers (suggestion_id, key_id, details, reply_channel, created_at)
          VALUES (${view.id}, ${proposer.keyId}, ${proposer.details}, ${proposer.replyChannel}, ${now}::timestamp)
          ON CONFLICT DO NOTHING
        ),
        -- The data key, only if intake could not keep it (PostgreSQL was unreachable then).
        data_key AS (
          INSERT INTO proposer_keys (id, key, created_at)
          SELECT ${proposer.keyId}, key, ${now}::timestamp FROM (VALUES (${proposer.wrappedKey ?? null}::text)) AS k(key) WHERE key IS NOT NULL
          ON CONFLICT DO NOTHING
        ),
        -- Kept here only if the API could not keep it at intake; a newer token it issued stays.
        token AS (
          INSERT INTO tracking_tokens (suggestion_id, hash, issued_at)
          SELECT ${view.id}, hash, ${now}::timestamp FROM (VALUES (${intake.trackingTokenHash ?? null}::text)) AS t(hash) WHERE hash IS NOT NULL
          ON CONFLICT DO NOTHING
        ),
        ${suggestionTermsSql(view)}
        ${eventsAndMessages(view.id, events, messages, now)}
        ${reading ?? Prisma.sql`SELECT 1`}`;
    },

    /** Records a change of state, its timeline events and the messages it causes, at once. */
    async projectSuggestion(view: SuggestionView, events: TimelineEvent[], messages: OutgoingMessage[]): Promise<void> {
      const now = new Date().toISOString();
      await db.$executeRaw`
        WITH state AS (SELECT * FROM jsonb_populate_record(NULL::suggestions, ${JSON.stringify(stateOf(view, now))}::jsonb)),
        moved AS (
          UPDATE suggestions s SET status = state.status, lead_department = state.lead_department, co_departments = state.co_departments,
            due_at = state.due_at, due_at_provisional = state.due_at_provisional, merged_into = state.merged_into, raised_by = state.raised_by, grouping = state.grouping, overdue = state.overdue, handling = COALESCE(state.handling, s.handling),
            feedback = COALESCE(state.feedback, s.feedback), outcome = state.outcome, decision_reason = state.decision_reason,
            reply = state.reply, decided_at = state.decided_at, replied_at = state.replied_at, closed_at = state.closed_at,
            jurisdiction = state.jurisdiction, version = state.version, updated_at = state.updated_at
          FROM state WHERE s.id = state.id AND s.version < state.version
        ),
        ${eventsAndMessages(view.id, events, messages, now)}
        SELECT 1`;
    },
  };
}
