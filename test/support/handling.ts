import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { decryptHistory, sealProposer } from '../../codec';
import type { ProposerDetails, SealedProposer } from '../../domain/intake';
import { buildCalendar, type HolidayCalendar } from '../../domain/calendar';
import type { SuggestionIntake, SuggestionView } from '../../domain/suggestion';
import { trackingNumber, workflowIdFor } from '../../domain/tracking-number';
import type { Database } from '../../prisma/client';
import { rateUpdate, reportProgressUpdate } from '../../workflows/feedback-messages';
import { decideUpdate, stateQuery, type Actor } from '../../workflows/messages';
import { startTimeSkippingStack, type TimeSkippingStack } from './time-skipping';
import { eventually, testKeyRing } from './stack';
import { suggestionWorkflowType } from '../../domain/workflow-types';

// Shared by the handling-chain tests: suggestions, the people who act on them, and the
// recording of workflow histories for the replay test.

export const historiesDir = join(__dirname, '..', 'workflow', 'histories');

/**
 * A registered suggestion as intake starts its workflow: `proposer` given in clear is sealed with
 * a data key of its own, which travels with it for registration to keep (as when intake could not
 * reach PostgreSQL), so the test needs no row written ahead.
 */
export function intake(at: Date, overrides: Partial<Omit<SuggestionIntake, 'proposer'>> & { proposer?: ProposerDetails } = {}): SuggestionIntake {
  const { proposer = { replyChannel: 'online' }, ...rest } = overrides;
  return {
    trackingNumber: trackingNumber(at.toISOString().slice(0, 10), randomBytes(4)),
    title: 'Shade trees along the school route on Guoquan Road',
    content: 'Children walk twenty minutes in full sun; a row of trees would make the route bearable in summer.',
    category: 'transport',
    district: 'yangpu',
    channel: 'web',
    receivedAt: at.toISOString(),
    publishConsent: false,
    proposer: sealedForTest(proposer),
    ...rest,
  };
}

/** The proposer sealed as intake seals it, with the test run's key ring; the data key travels along. */
export function sealedForTest(details: ProposerDetails): SealedProposer {
  const { proposer, dataKey } = sealProposer(testKeyRing(), details);
  return { ...proposer, wrappedKey: dataKey.key };
}

export const office: Actor = { role: 'office', name: 'collection-office/clerk' };
export const supervisor: Actor = { role: 'supervisor', name: 'supervision/inspector' };
export const department = (code: string): Actor => ({ role: 'department', departmentCode: code, name: `${code}/officer` });

/** The working-day calendar as PostgreSQL holds it, to check the instants the workflow chose. */
export async function storedCalendar(db: Database): Promise<HolidayCalendar> {
  const [years, days] = await Promise.all([db.calendarYear.findMany(), db.calendarDay.findMany()]);
  return buildCalendar(
    years.map((y) => y.year),
    days.map((d) => ({ date: d.date.toISOString().slice(0, 10), kind: d.kind as 'holiday' | 'workday' })),
  );
}

/**
 * With RECORD_HISTORIES=1, keeps the workflow's history as it stands under test/workflow/histories,
 * where the replay test replays it against the current workflow code.
 */
export async function keepHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  mkdirSync(historiesDir, { recursive: true });
  // Kept decrypted: the key of the run that recorded it is gone by the time a replay test reads it.
  const plain = temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(await decryptHistory(history, testKeyRing())), historyJson);
  // The workflow id goes with it: child workflow ids derive from it, and replay must see the same.
  writeFileSync(join(historiesDir, `${name}.json`), JSON.stringify({ workflowId: handle.workflowId, history: plain }));
}

/** How a kept history is written: bytes in base64, 64-bit numbers and enums as strings (read back with History.fromObject). */
const historyJson = { longs: String, bytes: String, enums: String } as const;

/** The error an update was refused with: its failure type and message. */
export async function refusal(promise: Promise<unknown>): Promise<{ type?: string; message?: string }> {
  try {
    await promise;
  } catch (err) {
    const cause = (err as { cause?: { type?: string; message?: string } }).cause;
    return { type: cause?.type, message: cause?.message };
  }
  throw new Error('the update was accepted, but a refusal was expected');
}

/** Lets the time-skipping server move on in small steps until the workflow reaches the state. */
export async function waitFor(
  env: TestWorkflowEnvironment,
  handle: WorkflowHandle,
  reached: (s: SuggestionView) => boolean,
  stepMs = 1000,
): Promise<SuggestionView> {
  for (let i = 0; i < 120; i++) {
    const state = await handle.query(stateQuery);
    if (reached(state)) return state;
    await env.sleep(stepMs);
  }
  throw new Error('the workflow did not reach the expected state');
}

export interface HandlingSuite {
  readonly stack: TimeSkippingStack;
  /** Starts a suggestion workflow received now (time-skipping clock), or as `overrides` say. */
  submit(overrides?: Parameters<typeof intake>[1]): Promise<WorkflowHandle>;
}

/**
 * One time-skipping server for a test file. Each test's workflows are terminated after it, so
 * the stages after handling do not run on (and hold the clock) in the next test's time.
 */
export function timeSkippingSuite(): HandlingSuite {
  let stack: TimeSkippingStack | undefined;
  const started: WorkflowHandle[] = [];
  beforeAll(async () => {
    stack = await startTimeSkippingStack();
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((h) => h.terminate('test finished').catch(() => undefined)));
  });
  afterAll(() => stack?.stop());
  return {
    get stack() {
      if (!stack) throw new Error('the time-skipping stack is not started yet');
      return stack;
    },
    async submit(overrides = {}) {
      const s = this.stack;
      const i = intake(new Date(await s.env.currentTimeMs()), overrides);
      const handle = await s.env.client.workflow.start(suggestionWorkflowType, {
        args: [i],
        taskQueue: s.taskQueue,
        workflowId: workflowIdFor(i.trackingNumber),
      });
      started.push(handle);
      return handle;
    },
  };
}

/**
 * Adopted with one milestone (`plan`), the milestone reported done, the reply rated satisfied: the
 * suggestion is implemented and its follow-up check dated. Waits on the workflow's own state.
 */
export async function adoptCarryOutAndRate(handle: WorkflowHandle, by: Actor, plan: { summary: string; milestone: string }): Promise<void> {
  const reached = (what: string, check: (s: SuggestionView) => boolean) =>
    eventually(async () => {
      const s = await handle.query(stateQuery);
      return check(s) ? s : undefined;
    }, what);
  await handle.executeUpdate(decideUpdate, {
    args: [
      {
        actor: by,
        outcome: 'adopted',
        reply: `Adopted: ${plan.summary}`,
        plan: {
          usage: ['livelihood_measure'],
          summary: plan.summary,
          milestones: [{ title: plan.milestone, ownerDepartment: by.departmentCode!, dueInWorkingDays: 10 }],
        },
      },
    ],
  });
  const planned = await reached('the plan', (s) => s.feedback!.implementation !== undefined);
  await handle.executeUpdate(reportProgressUpdate, {
    args: [{ actor: by, milestoneId: planned.feedback!.implementation!.milestones[0].id, percent: 100, note: 'Done.' }],
  });
  await reached('the reply', (s) => s.feedback!.satisfaction.state === 'awaiting');
  await handle.executeUpdate(rateUpdate, { args: [{ rating: 'satisfied' }] });
}
