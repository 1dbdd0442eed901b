import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client } from 'pg';
import { PrismaClient } from '../../generated/prisma/client';
import { applyMigrations } from '../../prisma/migrate';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../scripts/provision/postgres';
import { startTemporalDevServer, type TemporalDevServer } from '../../scripts/provision/temporal-dev-server';
import { ensureTimeSkippingServer } from '../../scripts/provision/time-skipping-server';
import { allSearchAttributes } from '../../workflows/search-attributes';

// Starts every server itself rather than relying on the integration project's global setup: this
// file is what proves the provisioning layer that global setup is built on.

// The first run on a fresh machine builds the Temporal CLI (minutes) and fetches the test server's jars.
const FIRST_RUN_MS = 15 * 60_000;
const timings: string[] = [];
const log = (m: string) => process.stderr.write(`[provisioning] ${m}\n`);

async function timed<T>(what: string, action: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await action();
  timings.push(`${what}: ${Date.now() - started} ms`);
  return result;
}

afterAll(() => {
  if (timings.length) log(timings.join('\n  '));
});

describe('embedded PostgreSQL with Prisma migrations', () => {
  let dir: string;
  let postgres: EmbeddedPostgres;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'provisioning-test-'));
    postgres = await timed('PostgreSQL start (initdb included)', () => startEmbeddedPostgres({ dataDir: join(dir, 'postgres'), log }));
  }, 120_000);

  afterAll(async () => {
    await postgres?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('applies every migration once, recorded as prisma migrate deploy records them', async () => {
    const migrations = readdirSync(join(__dirname, '../../prisma/migrations'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(migrations.length).toBeGreaterThan(0);

    expect(await timed('migrations, first run', () => applyMigrations(postgres.databaseUrl))).toEqual(migrations);
    expect(await timed('migrations, second run', () => applyMigrations(postgres.databaseUrl))).toEqual([]);

    const client = new Client({ connectionString: postgres.databaseUrl });
    await client.connect();
    try {
      const recorded = await client.query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null; checksum: string }>(
        'SELECT migration_name, finished_at, rolled_back_at, checksum FROM _prisma_migrations ORDER BY migration_name',
      );
      expect(recorded.rows.map((row) => row.migration_name)).toEqual(migrations);
      for (const row of recorded.rows) {
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.rolled_back_at).toBeNull();
        expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      }
      const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      expect(tables.rows.map((row) => row.table_name)).toEqual(
        expect.arrayContaining(['suggestions', 'suggestion_events', 'proposers', 'routing_rules', 'departments', 'notifications']),
      );
    } finally {
      await client.end();
    }
  });

  test('the generated Prisma client writes and reads through the pg adapter', async () => {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: postgres.databaseUrl }) });
    try {
      const id = `prov-${Date.now()}`;
      await prisma.suggestion.create({
        data: {
          id,
          trackingNumber: `T-${id}`,
          workflowId: `suggestion-${id}`,
          channel: 'online',
          category: 'transport',
          district: 'huangpu',
          title: '增设公交站点',
          content: 'Please add a bus stop near the school.',
          status: 'received',
          receivedAt: new Date('2026-03-02T01:00:00Z'),
          coDepartments: ['traffic-police'],
          events: { create: { seq: 1, type: 'received', actor: 'intake', at: new Date('2026-03-02T01:00:00Z'), detail: { via: 'test' } } },
        },
      });
      const read = await prisma.suggestion.findUniqueOrThrow({ where: { id }, include: { events: true } });
      expect(read).toMatchObject({ title: '增设公交站点', coDepartments: ['traffic-police'], overdue: false, version: 0 });
      expect(read.events).toEqual([expect.objectContaining({ seq: 1, type: 'received', detail: { via: 'test' } })]);
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe('Temporal dev server', () => {
  let dir: string;
  let server: TemporalDevServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'provisioning-temporal-'));
    server = await timed('Temporal dev server start (CLI lookup included)', () =>
      startTemporalDevServer({ dbFilename: join(dir, 'temporal.db'), headless: true, log }),
    );
  }, FIRST_RUN_MS);

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('registers the custom search attributes with their types', async () => {
    const connection = await Connection.connect({ address: server.address });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: server.namespace });
      const registered = Object.keys(customAttributes ?? {});
      expect(registered).toEqual(expect.arrayContaining(allSearchAttributes.map((key) => key.name)));
    } finally {
      await connection.close();
    }
  });

  test('a restart on the same database file keeps them', async () => {
    await timed('Temporal dev server stop', () => server.stop());
    server = await timed('Temporal dev server restart on its SQLite file', () =>
      startTemporalDevServer({ dbFilename: join(dir, 'temporal.db'), headless: true, log }),
    );
    const connection = await Connection.connect({ address: server.address });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: server.namespace });
      expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(allSearchAttributes.map((key) => key.name)));
    } finally {
      await connection.close();
    }
  }, 120_000);
});

describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    const path = await timed('time-skipping server executable', () => ensureTimeSkippingServer(log));
    env = await timed('time-skipping environment start', () =>
      TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } }),
    );
  }, FIRST_RUN_MS);

  afterAll(async () => {
    await env?.teardown();
  });

  test('skips time instead of waiting for it', async () => {
    expect(env.supportsTimeSkipping).toBe(true);
    const before = await env.currentTimeMs();
    const started = Date.now();
    await env.sleep('3 days');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(3 * 24 * 3600 * 1000);
  });
});

describe('a machine without the means to provision', () => {
  const saved = { JAVA_HOME: process.env.JAVA_HOME, SUGGESTION_CHAIN_CACHE: process.env.SUGGESTION_CHAIN_CACHE };
  let emptyCache: string;

  beforeAll(() => {
    emptyCache = mkdtempSync(join(tmpdir(), 'empty-cache-'));
    process.env.SUGGESTION_CHAIN_CACHE = emptyCache;
    process.env.JAVA_HOME = join(emptyCache, 'no-java');
  });

  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(emptyCache, { recursive: true, force: true });
  });

  test('is told what is missing for the time-skipping server and how to get it', async () => {
    await expect(ensureTimeSkippingServer()).rejects.toThrow(/Java is needed .*no-java.*apt-get install openjdk-17-jre-headless/s);
  });
});
