import { Client as PgClient } from 'pg';

export interface ChannelListener {
  close(): Promise<void>;
}

/**
 * Listens on a PostgreSQL notification channel with a connection of its own. `listening(true)`
 * once heard from, `listening(false)` when the connection is lost (it is made again after
 * `retryMs`); `onError` hears of an outage once, not on every attempt to listen again.
 */
export function listenOn(
  databaseUrl: string,
  channel: string,
  handlers: { notified: (payload: string | undefined) => void; listening?: (on: boolean) => void; onError?: (err: unknown) => void; retryMs?: number },
): ChannelListener {
  let client: PgClient | undefined;
  let retry: NodeJS.Timeout | undefined;
  let closed = false;
  let told = false;

  const connect = async () => {
    retry = undefined;
    const next = new PgClient({ connectionString: databaseUrl });
    client = next;
    const lost = (err?: unknown) => {
      if (client !== next) return;
      client = undefined;
      handlers.listening?.(false);
      if (err && !told) handlers.onError?.(err);
      if (err) told = true;
      next.end().catch(() => undefined);
      if (!closed) retry = setTimeout(() => void connect(), handlers.retryMs ?? 1000);
    };
    next.on('error', lost);
    next.on('end', () => lost());
    next.on('notification', (n) => handlers.notified(n.payload));
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      if (client === next) {
        handlers.listening?.(true);
        told = false;
      }
    } catch (err) {
      lost(err);
    }
  };
  void connect();

  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const open = client;
      client = undefined;
      handlers.listening?.(false);
      await open?.end().catch(() => undefined);
    },
  };
}
