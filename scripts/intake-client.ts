import type { SubmitSuggestion } from '../domain/intake';

// Registers suggestions through the API as intake staff, so an import goes through the same
// validation, routing and workflow start as a clerk at the desk. The Idempotency-Key makes a
// retried row (after a timeout, a crash, or a second run) land on the suggestion it already made.

export type IntakeResult =
  | { kind: 'registered'; trackingNumber: string; trackingToken: string }
  | { kind: 'refused'; reason: string }
  /** The key is wrong or lacks the right: no row can succeed, so the import stops. */
  | { kind: 'not-authorised'; reason: string };

export interface IntakeClient {
  register(suggestion: SubmitSuggestion, idempotencyKey: string): Promise<IntakeResult>;
}

interface ProblemBody {
  /** For a validation problem, every field at fault with its message. */
  detail?: string;
}

function reasonOf(status: number, body: ProblemBody): string {
  return `${status} ${body.detail ?? 'refused'}`;
}

export function intakeClient(opts: { baseUrl: string; apiKey: string; attempts?: number; backoffMs?: number }): IntakeClient {
  const attempts = opts.attempts ?? 5;
  const backoffMs = opts.backoffMs ?? 500;
  return {
    async register(suggestion, idempotencyKey) {
      let lastFailure = '';
      for (let attempt = 1; attempt <= attempts; attempt++) {
        let res: Response;
        try {
          res = await fetch(`${opts.baseUrl}/v1/suggestions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.apiKey}`, 'idempotency-key': idempotencyKey },
            body: JSON.stringify(suggestion),
            signal: AbortSignal.timeout(30_000),
          });
        } catch (err) {
          lastFailure = `the API did not answer (${(err as Error).message})`;
          await pause(backoffMs * attempt);
          continue;
        }
        const body = (await res.json().catch(() => ({}))) as ProblemBody & { trackingNumber?: string; trackingToken?: string };
        if (res.status === 202 && body.trackingNumber && body.trackingToken) {
          return { kind: 'registered', trackingNumber: body.trackingNumber, trackingToken: body.trackingToken };
        }
        if (res.status === 401 || res.status === 403) return { kind: 'not-authorised', reason: reasonOf(res.status, body) };
        if (res.status !== 429 && res.status < 500) return { kind: 'refused', reason: reasonOf(res.status, body) };
        lastFailure = reasonOf(res.status, body);
        const retryAfter = Number(res.headers.get('retry-after'));
        await pause(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoffMs * attempt);
      }
      return { kind: 'refused', reason: `not registered after ${attempts} attempts: ${lastFailure}` };
    },
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
