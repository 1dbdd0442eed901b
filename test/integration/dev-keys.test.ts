import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashApiKey } from '../../api/auth';
import { connectDatabase, type Database } from '../../prisma/client';
import { ensureDevKeys } from '../../scripts/dev-keys';
import { ownDatabase } from '../support/service-process';

// npm start's development keys (scripts/dev-keys.ts) survive restarts, and a revoked one stays
// revoked: its role gets a new key, printed, under the same name in the file.

let database: Awaited<ReturnType<typeof ownDatabase>>;
let db: Database;
let dataDir: string;

beforeAll(async () => {
  database = await ownDatabase();
  db = connectDatabase(database.url, 2);
  dataDir = mkdtempSync(join(tmpdir(), 'dev-keys-'));
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const inFile = () => JSON.parse(readFileSync(join(dataDir, 'dev-api-keys.json'), 'utf8')) as { id: string; keyId?: string; key: string; role: string }[];

test('a revoked development key stays revoked across restarts; a new key for its role is issued, printed and kept under the same name', async () => {
  const first = await ensureDevKeys(db, dataDir);
  const office = first.find((k) => k.id === 'dev-office')!;
  expect(await db.apiKey.findUnique({ where: { hash: hashApiKey(office.key) } })).toMatchObject({ id: 'dev-office', revokedAt: null });
  // The same keys on the next start.
  expect((await ensureDevKeys(db, dataDir)).map((k) => k.key)).toEqual(first.map((k) => k.key));

  const revokedAt = new Date();
  await db.apiKey.update({ where: { id: 'dev-office' }, data: { revokedAt } });
  const lines: string[] = [];
  const restarted = await ensureDevKeys(db, dataDir, (line) => lines.push(line));
  expect(await db.apiKey.findUnique({ where: { id: 'dev-office' } })).toMatchObject({ revokedAt, hash: hashApiKey(office.key) });
  const replacement = restarted.find((k) => k.id === 'dev-office')!;
  expect(replacement).toMatchObject({ keyId: 'dev-office-2', role: 'office' });
  expect(replacement.key).not.toBe(office.key);
  expect(await db.apiKey.findUnique({ where: { id: 'dev-office-2' } })).toMatchObject({ role: 'office', revokedAt: null, hash: hashApiKey(replacement.key) });
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain('dev-office-2');
  expect(lines[0]).toContain(replacement.key);
  expect(inFile().find((k) => k.id === 'dev-office')!.key).toBe(replacement.key);
  // The other keys are untouched, and the next start keeps the replacement.
  expect(restarted.filter((k) => k.id !== 'dev-office').map((k) => k.key)).toEqual(first.filter((k) => k.id !== 'dev-office').map((k) => k.key));
  const again = await ensureDevKeys(db, dataDir, (line) => lines.push(line));
  expect(again.find((k) => k.id === 'dev-office')!.key).toBe(replacement.key);
  expect(lines).toHaveLength(1);
  expect(await db.apiKey.findUnique({ where: { id: 'dev-office' } })).toMatchObject({ revokedAt });
});
