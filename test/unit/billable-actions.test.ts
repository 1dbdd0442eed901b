import { temporal } from '@temporalio/proto';
import { countActions } from '../../bench/support/actions';

const T = temporal.api.enums.v1.EventType;
let id = 0;
// Event ids are Longs in decoded histories; plain numbers stand in for them here.
const event = (eventType: temporal.api.enums.v1.EventType, attrs: Record<string, unknown> = {}) =>
  ({ eventId: ++id, eventType, ...attrs }) as unknown as temporal.api.history.v1.IHistoryEvent;
const summary = (text: string) => ({ summary: { data: Buffer.from(JSON.stringify(text)) } });

// A history shaped like a suggestion's: started, two activities (one retried twice), a deadline
// timer, an upsert (and one by `patched`, which is free), an accepted update, local activities in one workflow task, a child workflow.
const history = [
  event(T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, { workflowExecutionStartedEventAttributes: { workflowType: { name: 'suggestionWorkflow' } } }),
  event(T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED),
  event(T.EVENT_TYPE_WORKFLOW_TASK_STARTED),
  event(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
  event(T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, { activityTaskScheduledEventAttributes: { activityType: { name: 'registerSuggestion' } } }),
  event(T.EVENT_TYPE_ACTIVITY_TASK_STARTED, { activityTaskStartedEventAttributes: { scheduledEventId: 5, attempt: 3 } }),
  event(T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED),
  event(T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, { activityTaskScheduledEventAttributes: { activityType: { name: 'routeToDepartment' } } }),
  event(T.EVENT_TYPE_ACTIVITY_TASK_STARTED, { activityTaskStartedEventAttributes: { scheduledEventId: 8, attempt: 1 } }),
  event(T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED),
  event(T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES),
  event(T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, {
    upsertWorkflowSearchAttributesEventAttributes: { searchAttributes: { indexedFields: { TemporalChangeVersion: { data: Buffer.from('["a-patch"]') } } } },
  }),
  event(T.EVENT_TYPE_TIMER_STARTED, { userMetadata: summary('response deadline'), timerStartedEventAttributes: { timerId: '1' } }),
  event(T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, {
    workflowExecutionUpdateAcceptedEventAttributes: { acceptedRequest: { input: { name: 'decide' } } },
  }),
  event(T.EVENT_TYPE_TIMER_CANCELED),
  event(T.EVENT_TYPE_MARKER_RECORDED, { markerRecordedEventAttributes: { markerName: 'core_local_activity', workflowTaskCompletedEventId: 20 } }),
  event(T.EVENT_TYPE_MARKER_RECORDED, { markerRecordedEventAttributes: { markerName: 'core_local_activity', workflowTaskCompletedEventId: 20 } }),
  event(T.EVENT_TYPE_MARKER_RECORDED, { markerRecordedEventAttributes: { markerName: 'core_patch', workflowTaskCompletedEventId: 20 } }),
  event(T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, {
    startChildWorkflowExecutionInitiatedEventAttributes: { workflowType: { name: 'coHandlingWorkflow' } },
  }),
  event(T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, { workflowExecutionSignaledEventAttributes: { signalName: 'opinion' } }),
  event(T.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED),
  event(T.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED),
];

test('counts each billable action of a history by the metering rules', () => {
  const count = countActions(history);
  expect(Object.fromEntries(count.items)).toEqual({
    'start suggestionWorkflow': 1,
    'activity registerSuggestion': 3,
    'activity routeToDepartment': 1,
    'search attribute upsert': 1,
    'timer response deadline': 1,
    'update decide': 1,
    'local activities (per workflow task)': 1,
    'child workflow coHandlingWorkflow': 2,
    'signal opinion': 1,
    'memo upsert': 1,
  });
  expect(count.total).toBe(13);
  expect(count.events).toBe(history.length);
});

test("a child's own start is already paid for in its parent's history", () => {
  const child = countActions(history.slice(0, 2), { child: true });
  expect(child.total).toBe(0);
});
