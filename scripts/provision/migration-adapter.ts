import { randomUUID } from 'node:crypto';
import type * as Pg from 'pg';
import type * as AdapterPg from '@prisma/adapter-pg';
import type * as AdapterUtils from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlQuery, SqlResultSet, Transaction } from '@prisma/driver-adapter-utils';
import { requireHost } from './host-modules';

/**
 * The driver adapter the WebAssembly schema engine migrates through: `@prisma/adapter-pg`
 * (7.10.1) with three corrections that matter for migrations:
 *
 * - Introspection reads catalog columns of PostgreSQL's internal one-byte `"char"` type
 *   (pg_class.relkind, pg_constraint.contype, …). adapter-pg rejects that type as unsupported,
 *   and the engine insists on reading those columns as characters; so they are passed through
 *   adapter-pg as text and relabelled as characters afterwards.
 * - adapter-pg runs a script by splitting it on every `;` — wrong inside string literals and
 *   function bodies, and each piece may land on another pooled connection. A migration is sent
 *   whole, as one simple-protocol query, the way the native engine sends it.
 * - Its shadow database connection keeps the original `connectionString`, whose database name
 *   wins over the shadow one, so "shadow" queries would run against the real database. The
 *   shadow database here gets a URL of its own.
 *
 * pg and the adapter packages are loaded by the host process (see host-modules.ts): under Jest
 * the engine otherwise receives the sandbox's Promises and fails with an opaque WASM_ERROR.
 * `close()` ends every pool and drops any shadow database left behind, so callers leave no open
 * handles and no stray databases.
 */
export interface MigrationAdapter {
  /** Ready for `SchemaEngine.new` (already bound with Prisma's error capturing). */
  factory: object;
  close(): Promise<void>;
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

type QueryResultLike = { fields?: { dataTypeID: number }[]; rows?: unknown[] };

// adapter-pg hands back node-postgres' own `rows` array, so it identifies the result on both sides.
const charColumnsByRows = new WeakMap<object, number[]>();

function reportCharAsText(result: unknown): void {
  for (const single of Array.isArray(result) ? result : [result]) {
    const { fields = [], rows } = (single as QueryResultLike | undefined) ?? {};
    const charColumns: number[] = [];
    fields.forEach((field, index) => {
      if (field.dataTypeID !== PG_CHAR_OID) return;
      field.dataTypeID = PG_TEXT_OID;
      charColumns.push(index);
    });
    if (charColumns.length > 0 && rows) charColumnsByRows.set(rows, charColumns);
  }
}

function relabelCharColumns(result: SqlResultSet, character: number): SqlResultSet {
  for (const index of charColumnsByRows.get(result.rows) ?? []) result.columnTypes[index] = character as SqlResultSet['columnTypes'][number];
  return result;
}

/** Calls through to `target`, except for the methods in `overrides`. */
function override<T extends object>(target: T, overrides: Partial<Record<keyof T, unknown>>): T {
  return new Proxy(target, {
    get(obj, prop) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof T];
      const value = Reflect.get(obj, prop, obj) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(obj) : value;
    },
  });
}

let clientClass: typeof Pg.Client | undefined;

/** A pg Client that reports `"char"` columns as text (and remembers which they were). */
function catalogFriendlyClient(pg: typeof Pg): typeof Pg.Client {
  clientClass ??= class CatalogFriendlyClient extends pg.Client {
    // pg-pool calls query() with a callback, adapter-pg's transactions without one; both are covered.
    override query(...args: unknown[]): never {
      const last = args[args.length - 1];
      const callSuper = super.query as unknown as (...a: unknown[]) => unknown;
      if (typeof last === 'function') {
        const callback = last as (err: unknown, res: unknown) => void;
        return callSuper.call(this, ...args.slice(0, -1), (err: unknown, res: unknown) => {
          if (!err) reportCharAsText(res);
          callback(err, res);
        }) as never;
      }
      const pending = callSuper.call(this, ...args) as { then?: unknown } | undefined;
      if (pending && typeof pending.then === 'function') {
        return (pending as Promise<unknown>).then((res) => {
          reportCharAsText(res);
          return res;
        }) as never;
      }
      return pending as never;
    }
  } as unknown as typeof Pg.Client;
  return clientClass;
}

function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

export function migrationAdapter(databaseUrl: string): MigrationAdapter {
  const pg = requireHost<typeof Pg>('pg');
  const { PrismaPg } = requireHost<typeof AdapterPg>('@prisma/adapter-pg');
  const { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } = requireHost<typeof AdapterUtils>('@prisma/driver-adapter-utils');
  const Client = catalogFriendlyClient(pg);

  // Prisma's `?schema=` URL parameter selects the schema, as with the native engine.
  const schema = new URL(databaseUrl).searchParams.get('schema') ?? undefined;
  const pools: Pg.Pool[] = [];
  const adapters: SqlDriverAdapter[] = [];
  const shadowDatabases = new Set<string>();

  const newPool = (url: string) => {
    const pool = new pg.Pool({ connectionString: url, Client });
    // An idle client's error (e.g. the server going away after we are done) must not crash the process.
    pool.on('error', () => undefined);
    pools.push(pool);
    return pool;
  };

  const admin = async <T>(fn: (client: Pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };

  const dropShadow = async (name: string) => {
    if (!shadowDatabases.delete(name)) return;
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`));
  };

  const relabel = (result: SqlResultSet) => relabelCharColumns(result, ColumnTypeEnum.Character);

  const track = (inner: SqlDriverAdapter, onDispose?: () => Promise<void>): SqlDriverAdapter => {
    let disposed = false;
    const wrapped = override(inner, {
      queryRaw: async (query: SqlQuery) => relabel(await inner.queryRaw(query)),
      startTransaction: async (isolationLevel?: Parameters<SqlDriverAdapter['startTransaction']>[0]) => {
        const transaction = await inner.startTransaction(isolationLevel);
        return override<Transaction>(transaction, {
          queryRaw: async (query: SqlQuery) => relabel(await transaction.queryRaw(query)),
        });
      },
      // No arguments keeps node-postgres on the simple protocol, which accepts many statements.
      executeScript: async (script: string) => {
        await inner.executeRaw({ sql: script, args: [], argTypes: [] });
      },
      dispose: async () => {
        if (disposed) return;
        disposed = true;
        await inner.dispose();
        await onDispose?.();
      },
    });
    adapters.push(wrapped);
    return wrapped;
  };

  const main = new PrismaPg(newPool(databaseUrl), { schema });

  const factory = bindMigrationAwareSqlAdapterFactory({
    provider: main.provider,
    adapterName: main.adapterName,
    async connect() {
      return track(await main.connect());
    },
    async connectToShadowDb() {
      const name = `prisma_migrate_shadow_db_${randomUUID().replace(/-/g, '')}`;
      await admin((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
      shadowDatabases.add(name);
      const pool = newPool(withDatabase(databaseUrl, name));
      const shadow = new PrismaPg(pool, { schema });
      return track(await shadow.connect(), async () => {
        await pool.end().catch(() => undefined);
        await dropShadow(name);
      });
    },
  });

  return {
    factory,
    async close() {
      for (const adapter of adapters.splice(0)) await adapter.dispose().catch(() => undefined);
      await Promise.all(pools.splice(0).map((pool) => pool.end().catch(() => undefined)));
      for (const name of [...shadowDatabases]) await dropShadow(name).catch(() => undefined);
    },
  };
}
