import type { StaffSession, StaffSessions } from '../staff-sessions';

// The workbench is a client of the API like any other: it calls the API's endpoints over HTTP
// with the signed-in person's access token, so every rule (roles, validation, state) is the
// API's, and what a person can do here is exactly what their token lets them do there.

/** The session can no longer act: its tokens expired and could not be refreshed. */
export class SignInAgain extends Error {}

/** The API refused a read: shown as a page saying why. */
export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; errors?: { field: string; message: string }[] },
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

export class WorkbenchApi {
  constructor(
    private readonly sessions: StaffSessions,
    private readonly session: StaffSession,
    private readonly baseUrl: string,
  ) {}

  async call<T = unknown>(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<Answer<T>> {
    const token = await this.sessions.accessToken(this.session);
    if (!token) throw new SignInAgain();
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 401) throw new SignInAgain();
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = { title: `HTTP ${res.status}`, detail: text.slice(0, 200) };
    }
    return { status: res.status, body: parsed as T };
  }

  /** Sends a file to POST /v1/uploads as the signed-in person; the answer's uploadId goes into `evidence`. */
  async upload(bytes: Buffer, filename: string, idempotencyKey: string): Promise<Answer<{ uploadId?: string; title?: string; detail?: string }>> {
    const token = await this.sessions.accessToken(this.session);
    if (!token) throw new SignInAgain();
    const form = new FormData();
    form.append('file', new Blob([bytes]), filename || 'file');
    const res = await fetch(`${this.baseUrl}/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': idempotencyKey },
      body: form,
    });
    if (res.status === 401) throw new SignInAgain();
    return {
      status: res.status,
      body: (await res.json().catch(() => ({ title: `HTTP ${res.status}` }))) as { uploadId?: string; title?: string; detail?: string },
    };
  }

  /** A file the API serves (an attachment, its thumbnail), as it sent it; no JSON. */
  async file(path: string): Promise<{ status: number; contentType?: string; disposition?: string; bytes: Buffer }> {
    const token = await this.sessions.accessToken(this.session);
    if (!token) throw new SignInAgain();
    const res = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status === 401) throw new SignInAgain();
    return {
      status: res.status,
      contentType: res.headers.get('content-type') ?? undefined,
      disposition: res.headers.get('content-disposition') ?? undefined,
      bytes: Buffer.from(await res.arrayBuffer()),
    };
  }

  /** A read that must succeed; a refusal becomes a page saying why. */
  async get<T = any>(path: string): Promise<T> {
    const answer = await this.call<T>('GET', path);
    if (answer.status >= 400) throw new ApiRefusal(answer.status, answer.body as ApiRefusal['problem']);
    return answer.body;
  }
}

/** A query string from the set values of `query`. */
export function qs(query: Record<string, string | number | boolean | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}
