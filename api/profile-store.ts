import type { CityProfile } from '../domain/profile';
import type { Database } from '../prisma/client';
import { readProfile } from '../prisma/profile-store';
import { loadProfileFile } from '../profiles';

/**
 * The city profile this API serves, as PostgreSQL holds it. Requests read `current` without
 * waiting: it is read again in the background once `ttlMs` old (so a change made on another
 * replica reaches this one within that time) and at once after a change made here (`take`).
 * Until the database has answered, it is the profile file CITY_PROFILE names, the one setup loads.
 */
export class ProfileStore {
  private loadedAt = -Infinity;
  private loading?: Promise<void>;

  constructor(
    private profile: CityProfile,
    private readonly db?: Database,
    private readonly ttlMs = 5_000,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** A store that starts from the profile file and follows the database. */
  static fromFile(db: Database | undefined, onError?: (err: unknown) => void): ProfileStore {
    const store = new ProfileStore(loadProfileFile().profile, db, undefined, onError);
    void store.refresh();
    return store;
  }

  /** A store that starts from the database's profile (the file's when there is none yet). */
  static async load(db: Database, ttlMs?: number): Promise<ProfileStore> {
    const stored = await readProfile(db);
    const store = new ProfileStore(stored ?? loadProfileFile().profile, db, ttlMs);
    store.loadedAt = Date.now();
    return store;
  }

  get current(): CityProfile {
    if (this.db && Date.now() - this.loadedAt >= this.ttlMs) void this.refresh();
    return this.profile;
  }

  /** A change made through this API: served from now on. */
  take(profile: CityProfile): void {
    if (profile.version >= this.profile.version) this.profile = profile;
    this.loadedAt = Date.now();
  }

  /** Reads the profile again (resolves when read). */
  refresh(): Promise<void> {
    if (!this.db) return Promise.resolve();
    this.loading ??= (async () => {
      const startedAt = Date.now();
      try {
        const stored = await readProfile(this.db!);
        if (stored && stored.version >= this.profile.version) this.profile = stored;
      } catch (err) {
        this.onError(err);
      } finally {
        this.loadedAt = startedAt;
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}
