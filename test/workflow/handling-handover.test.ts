import { handOverUpdate, type HandOverRequest } from '../../workflows/handling-messages';
import { assignUpdate, stateQuery, type Actor } from '../../workflows/messages';
import { department, keepHistory, office, refusal, timeSkippingSuite, waitFor } from '../support/handling';

// 转办 between levels on the time-skipping server: the level a suggestion is handed to takes it into
// its triage with a deadline of its own (the handover limit, counted from the hand-over), is
// escalated when it lets that pass, and can hand it on; the workflow refuses a hand-over from a
// level that no longer holds it.

const suite = timeSkippingSuite();
const street = '310110019';
const streetOffice: Actor = { role: 'office', jurisdiction: street, name: 'street-office/clerk' };

const handOver = (
  from: string,
  to: string,
  direction: 'up' | 'down',
  toLevel: HandOverRequest['toLevel'],
  reason: string,
  by: Actor = office,
): Omit<HandOverRequest, 'issuedFor'> => ({
  actor: by,
  from,
  to,
  direction,
  toLevel,
  reason,
});

test('handed down from the district to a street, escalated when the street lets its own deadline pass, handed back up and routed', async () => {
  const handle = await suite.submit({ category: 'other' });
  await suite.stack.withWorker(async () => {
    const triage = await waitFor(suite.stack.env, handle, (s) => s.status === 'triage');
    expect(triage.jurisdiction).toBe('yangpu');

    expect(
      (await refusal(handle.executeUpdate(handOverUpdate, { args: [handOver('yangpu', street, 'down', 'street', 'ours', department('transport'))] }))).type,
    ).toBe('WrongDepartment');
    expect((await refusal(handle.executeUpdate(handOverUpdate, { args: [handOver('city', 'yangpu', 'down', 'district', 'not held by the city')] }))).type).toBe(
      'WrongState',
    );
    expect((await refusal(handle.executeUpdate(handOverUpdate, { args: [handOver('yangpu', street, 'down', 'street', ' ')] }))).type).toBe('InvalidAction');

    const down = await handle.executeUpdate(handOverUpdate, { args: [handOver('yangpu', street, 'down', 'street', 'A lane the street office looks after')] });
    expect(down).toMatchObject({ status: 'triage', jurisdiction: street });
    const handedDown = down.timeline.at(-1)!;
    expect(handedDown).toMatchObject({
      type: 'handed_down',
      detail: { from: 'yangpu', to: street, toLevel: 'street', reason: 'A lane the street office looks after' },
    });
    // Its own deadline: five working days from the hand-over (a week or so), not the routing limit from receipt.
    expect(down.dueAt).not.toBe(triage.dueAt);
    const days = (Date.parse(down.dueAt!) - (await suite.stack.env.currentTimeMs())) / 86_400_000;
    expect(days).toBeGreaterThan(5);
    expect(days).toBeLessThan(12);
    expect(down.dueAt).toBe(handedDown.detail?.dueAt);

    // The street lets it pass: escalated on the hand-over's deadline.
    await suite.stack.env.sleep(Date.parse(down.dueAt!) - (await suite.stack.env.currentTimeMs()) + 60_000);
    const late = await waitFor(suite.stack.env, handle, (s) => s.overdue);
    expect(late.timeline.at(-1)).toMatchObject({ type: 'escalated_overdue', detail: { dueAt: down.dueAt, stage: 'triage' } });

    const up = await handle.executeUpdate(handOverUpdate, {
      args: [handOver(street, 'yangpu', 'up', 'district', 'Needs a district department', streetOffice)],
    });
    expect(up.jurisdiction).toBe('yangpu');
    expect(up.handling!.handovers!.map((h) => `${h.direction}:${h.from}>${h.to}`)).toEqual([`down:yangpu>${street}`, `up:${street}>yangpu`]);
    const routed = await handle.executeUpdate(assignUpdate, { args: [{ actor: office, leadDepartment: 'yangpu-housing', reason: 'District housing office' }] });
    expect(routed).toMatchObject({ status: 'handling', leadDepartment: 'yangpu-housing', jurisdiction: 'yangpu' });
    expect((await handle.query(stateQuery)).overdue).toBe(false);
    await keepHistory('handed-down-escalated-handed-up', handle);
  });
});
