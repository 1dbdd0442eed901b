import { randomUUID } from 'node:crypto';

// Load at a steady rate, whatever the server does: request i is due at i / rate seconds and is
// sent then, however many earlier ones are still waiting for their answers (an open loop). Each
// latency is counted from when its request was due, so a server that falls behind is charged the
// wait of the requests queued behind it, not only the time it took once it got to them.

export interface SteadyLoadResult {
  /** Requests due in the window. */
  due: number;
  /** Answered with a 2xx status. */
  accepted: number;
  /** Answered otherwise, failed, or never sent: too many were still waiting (`maxInFlight`). */
  failed: number;
  seconds: number;
  /** Latencies (ms from when each was due) of the accepted requests, sorted. */
  latencies: number[];
}

export interface SteadyLoad {
  url: string;
  body: unknown;
  headers?: Record<string, string>;
  /** Requests per second. */
  rate: number;
  seconds: number;
  /** Requests waiting at once beyond which a due one is not sent but counted failed (the server has fallen far behind). */
  maxInFlight?: number;
  /** Called after each answered request: the number of requests accepted so far. */
  onAccepted?: (accepted: number) => void;
}

export async function steadyLoad(load: SteadyLoad): Promise<SteadyLoadResult> {
  const maxInFlight = load.maxInFlight ?? 512;
  const body = JSON.stringify(load.body);
  const latencies: number[] = [];
  let accepted = 0;
  let failed = 0;
  let inFlight = 0;
  const pending: Promise<void>[] = [];
  const send = async (dueAt: number) => {
    inFlight += 1;
    try {
      const res = await fetch(load.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...load.headers },
        body,
      });
      await res.arrayBuffer();
      if (res.ok) {
        accepted += 1;
        latencies.push(performance.now() - dueAt);
        load.onAccepted?.(accepted);
      } else failed += 1;
    } catch {
      failed += 1;
    } finally {
      inFlight -= 1;
    }
  };
  const started = performance.now();
  const due = Math.floor(load.rate * load.seconds);
  let sent = 0;
  while (sent < due) {
    const now = performance.now();
    // Every request whose time has come goes now; then sleep until the next one is due.
    while (sent < due && started + (sent * 1000) / load.rate <= now) {
      const dueAt = started + (sent * 1000) / load.rate;
      sent += 1;
      if (inFlight >= maxInFlight) failed += 1;
      else pending.push(send(dueAt));
    }
    if (sent < due) await new Promise((r) => setTimeout(r, Math.max(1, started + (sent * 1000) / load.rate - performance.now())));
  }
  await Promise.all(pending);
  return { due, accepted, failed, seconds: load.seconds, latencies: latencies.sort((a, b) => a - b) };
}
