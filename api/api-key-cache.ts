import { Client as PgClient } from 'pg';
import type { StaffIdentity } from './staff-identity';

/**
 * The staff identities of the API keys this replica has seen, so that a staff request costs no
 * query (the key lookup was the largest share of intake's CPU). It is used only while this
 * replica listens for changes to the keys (`listenForApiKeyChanges`): every change made anywhere
 * (the admin endpoint on another replica, `npm run api-keys` on a laptop) clears it, so a revoked
 * key is refused as soon as PostgreSQL has announced the revocation. While the listener is down
 * (PostgreSQL restarting, say) nothing is kept and every request asks PostgreSQL, as without it.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, { identity: StaffIdentity; keptAt: number }>();
  private heard = false;
  /** Bumped on every change heard, so a lookup begun before a revocation is not kept after it. */
  private changes = 0;

  constructor(
    private readonly ttlMs = 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  /** The identity of a key by its hash, if kept. */
  get(hash: string): StaffIdentity | undefined {
    const entry = this.heard ? this.entries.get(hash) : undefined;
    return entry && Date.now() - entry.keptAt < this.ttlMs ? entry.identity : undefined;
  }

  /** Where a lookup starts: `keep` takes it back, to keep only what no change has overtaken. */
  mark(): number {
    return this.changes;
  }

  keep(hash: string, identity: StaffIdentity, mark: number): void {
    if (!this.heard || mark !== this.changes) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(hash, { identity, keptAt: Date.now() });
  }

  /** A key was issued, revoked or removed. */
  changed(): void {
    this.changes += 1;
    this.entries.clear();
  }

  /** Whether changes are heard: kept identities are used only meanwhile. */
  get listening(): boolean {
    return this.heard;
  }

  setListening(listening: boolean): void {
    this.heard = listening;
    this.changed();
  }
}

export interface KeyChangeListener {
  cache: ApiKeyCache;
  close(): Promise<void>;
}

/**
 * Listens on PostgreSQL's `api_keys_changed` channel (a trigger on api_keys announces every change)
 * with a connection of its own, and clears the cache on each change. A lost connection turns the
 * cache off and is made again after `retryMs`; `onError` hears of an outage once.
 */
export function listenForApiKeyChanges(databaseUrl: string, opts: { retryMs?: number; onError?: (err: unknown) => void } = {}): KeyChangeListener {
  const cache = new ApiKeyCache();
  let client: PgClient | undefined;
  let retry: NodeJS.Timeout | undefined;
  let closed = false;
  // Told once per outage, not on every attempt to listen again.
  let told = false;

  const connect = async () => {
    retry = undefined;
    const next = new PgClient({ connectionString: databaseUrl });
    client = next;
    const lost = (err?: unknown) => {
      if (client !== next) return;
      client = undefined;
      cache.setListening(false);
      if (err && !told) opts.onError?.(err);
      if (err) told = true;
      next.end().catch(() => undefined);
      if (!closed) retry = setTimeout(() => void connect(), opts.retryMs ?? 1000);
    };
    next.on('error', lost);
    next.on('end', () => lost());
    next.on('notification', () => cache.changed());
    try {
      await next.connect();
      await next.query('LISTEN api_keys_changed');
      if (client === next) {
        cache.setListening(true);
        told = false;
      }
    } catch (err) {
      lost(err);
    }
  };
  void connect();

  return {
    cache,
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const open = client;
      client = undefined;
      cache.setListening(false);
      await open?.end().catch(() => undefined);
    },
  };
}
