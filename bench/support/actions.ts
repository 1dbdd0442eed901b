import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface ActionCount {
  total: number;
  /** Billable actions by kind, e.g. `activity registerSuggestion: 1`, `timer response deadline: 1`. */
  items: Map<string, number>;
  events: number;
  /** The local activities each workflow task that ran any ran, by type, in order: one action each task. */
  localActivitiesByTask: string[][];
}

/** The activity type a local activity's marker records (core's marker data, JSON). */
function localActivityType(event: HistoryEvent): string {
  const data = event.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
  try {
    return (data && JSON.parse(Buffer.from(data).toString()).activity_type) || 'local activity';
  } catch {
    return 'local activity';
  }
}

/** `ACTIVITY_TASK_STARTED` and the like, whether the history came as numbers or as JSON names. */
function eventName(type: HistoryEvent['eventType']): string {
  const name = typeof type === 'number' ? temporal.api.enums.v1.EventType[type] : String(type);
  return name.replace(/^EVENT_TYPE_/, '');
}

/**
 * Billable actions of one workflow history, by the rules of Temporal Cloud's metering: a start or
 * continue-as-new 1, a child workflow 2 (its start in the parent's history; the child's own history
 * is then counted with `child: true`), each activity attempt 1, local activities 1 per workflow task
 * that ran any, each timer 1, each search-attribute or memo upsert 1 (one that only sets
 * TemporalChangeVersion, as `patched` does, is exempt), each signal 1, each accepted
 * update 1. Queries leave no history; a caller that queries adds them itself.
 */
export function countActions(history: HistoryEvent[], opts: { child?: boolean } = {}): ActionCount {
  const items = new Map<string, number>();
  const add = (what: string, n = 1) => items.set(what, (items.get(what) ?? 0) + n);
  const activityTypes = new Map<string, string>();
  const localActivityTasks = new Map<string, string[]>();

  for (const event of history) {
    const id = String(event.eventId);
    switch (eventName(event.eventType)) {
      case 'WORKFLOW_EXECUTION_STARTED':
        if (!opts.child) add(`start ${event.workflowExecutionStartedEventAttributes?.workflowType?.name}`);
        break;
      case 'WORKFLOW_EXECUTION_CONTINUED_AS_NEW':
        add('continue-as-new');
        break;
      case 'START_CHILD_WORKFLOW_EXECUTION_INITIATED':
        add(`child workflow ${event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowType?.name}`, 2);
        break;
      case 'ACTIVITY_TASK_SCHEDULED':
        activityTypes.set(id, event.activityTaskScheduledEventAttributes?.activityType?.name ?? 'activity');
        break;
      case 'ACTIVITY_TASK_STARTED': {
        const started = event.activityTaskStartedEventAttributes;
        add(`activity ${activityTypes.get(String(started?.scheduledEventId)) ?? 'activity'}`, started?.attempt || 1);
        break;
      }
      case 'MARKER_RECORDED':
        if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') {
          const task = String(event.markerRecordedEventAttributes.workflowTaskCompletedEventId);
          localActivityTasks.set(task, [...(localActivityTasks.get(task) ?? []), localActivityType(event)]);
        }
        break;
      case 'TIMER_STARTED':
        add(
          `timer ${event.userMetadata?.summary?.data ? Buffer.from(event.userMetadata.summary.data).toString().replace(/^"|"$/g, '') : event.timerStartedEventAttributes?.timerId}`,
        );
        break;
      case 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES': {
        // The SDK records `patched` markers in TemporalChangeVersion; metering exempts that attribute.
        const names = Object.keys(event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {});
        if (names.length === 0 || names.some((name) => name !== 'TemporalChangeVersion')) add('search attribute upsert');
        break;
      }
      case 'WORKFLOW_PROPERTIES_MODIFIED':
        add('memo upsert');
        break;
      case 'WORKFLOW_EXECUTION_SIGNALED':
        add(`signal ${event.workflowExecutionSignaledEventAttributes?.signalName}`);
        break;
      case 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED':
        add(`update ${event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name}`);
        break;
    }
  }
  if (localActivityTasks.size) add('local activities (per workflow task)', localActivityTasks.size);
  let total = 0;
  for (const n of items.values()) total += n;
  return { total, items, events: history.length, localActivitiesByTask: [...localActivityTasks.values()] };
}
