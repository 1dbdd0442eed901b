import { eventually, type Stack } from './stack';

// Calls the real API of a test stack the way the feedback tests need: as staff, as the proposer
// with a tracking token, and anonymously for the public board.

export interface Reply {
  status: number;
  type: string;

  body: any;
}

export function apiClient(stack: () => Stack) {
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const res = await fetch(stack().baseUrl + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
  }

  /** Submits and waits until the rule has routed it; returns the tracking number and token. */
  async function submitRouted(suggestion: Record<string, unknown>): Promise<{ id: string; token: string }> {
    const submitted = await call('POST', '/v1/suggestions', suggestion);
    if (submitted.status !== 202) throw new Error(`intake refused: ${JSON.stringify(submitted.body)}`);
    const id: string = submitted.body.id;
    await eventually(async () => (await stack().db.suggestion.findUnique({ where: { id } }))?.status === 'handling', `suggestion ${id} to be routed`);
    return { id, token: submitted.body.trackingToken };
  }

  /** Waits until the read model shows the suggestion in `status` (the projection follows the workflow). */
  async function projected(id: string, check: (row: { status: string; feedback: unknown }) => boolean, what: string) {
    return eventually(async () => {
      const row = await stack().db.suggestion.findUnique({ where: { id } });
      return row && check(row) ? row : undefined;
    }, what);
  }

  return {
    call,
    submitRouted,
    projected,
    as: (key: string) => ({ authorization: `Bearer ${key}` }),
    withToken: (token: string) => ({ 'x-tracking-token': token }),
  };
}

export const shelterPlan = {
  usage: ['livelihood_measure'],
  summary: 'A rain shelter is built at the Guoding Road stop.',
  milestones: [
    { title: 'Site survey', ownerDepartment: 'transport', dueInWorkingDays: 5 },
    { title: 'Build the shelter', ownerDepartment: 'transport', dueInWorkingDays: 15 },
  ],
};
