import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/**
 * A workflow's history exactly as the Temporal server stores and sends it, read without any
 * codec: what an operator with access to the server or its database would see.
 */
export async function rawHistory(workflowId: string): Promise<{ events: temporal.api.history.v1.IHistoryEvent[]; bytes: Buffer }> {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  try {
    const events: temporal.api.history.v1.IHistoryEvent[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId }, nextPageToken });
      events.push(...(page.history?.events ?? []));
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    const bytes = Buffer.from(temporal.api.history.v1.History.encode({ events }).finish());
    return { events, bytes };
  } finally {
    await connection.close();
  }
}

/** The workflow's description (memo, search attributes, pending activities) as the server sends it. */
export async function rawDescription(workflowId: string): Promise<Buffer> {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  try {
    const description = await connection.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId } });
    return Buffer.from(temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse.encode(description).finish());
  } finally {
    await connection.close();
  }
}

/** A payload in protobuf's JSON form (bytes as base64), as the Temporal UI sends it to a codec endpoint. */
export function payloadJson(p: temporal.api.common.v1.IPayload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

/** The workflow's input as stored: the first event's payloads. */
export function startInput(events: temporal.api.history.v1.IHistoryEvent[]): temporal.api.common.v1.IPayload[] {
  return events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
}
