import { parseArgs } from 'node:util';
import { issueApiKey, listApiKeys, revokeApiKey } from '../api/api-keys';
import { Problem } from '../api/problem';
import { readConfig } from '../domain/config';
import { staffRoles, type StaffRole } from '../domain/vocabulary';
import { connectDatabase } from '../prisma/client';
import { fail, runCommand } from './command-line';

// `npm run api-keys -- <issue|revoke|list>`: the administrator's tool for staff API keys, working
// directly on the database named by DATABASE_URL (the same operations as /v1/admin/api-keys).

const usage = `usage:
  npm run api-keys -- issue --role <${staffRoles.join('|')}> --label "<who>" [--department <code>] [--jurisdiction <city|district|street code>]
  npm run api-keys -- revoke <key id>
  npm run api-keys -- list [--all]`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      label: { type: 'string' },
      department: { type: 'string' },
      jurisdiction: { type: 'string' },
      all: { type: 'boolean', default: false },
    },
  });
  const [command, id] = positionals;
  const { DATABASE_URL } = readConfig(process.env);
  if (!DATABASE_URL) throw new Error('set DATABASE_URL to the database whose keys to manage');
  const db = connectDatabase(DATABASE_URL, 1);
  try {
    switch (command) {
      case 'issue': {
        if (!values.role || !(staffRoles as readonly string[]).includes(values.role) || !values.label) return fail(usage);
        const issued = await issueApiKey(db, {
          role: values.role as StaffRole,
          label: values.label,
          departmentCode: values.department,
          jurisdiction: values.jurisdiction,
        });
        console.log(JSON.stringify(issued, null, 2));
        console.error('Keep the key now: only its hash is stored, it cannot be shown again.');
        return 0;
      }
      case 'revoke': {
        if (!id) return fail(usage);
        const revoked = await revokeApiKey(db, id);
        if (!revoked) return fail(`no API key with id ${id}`);
        console.log(JSON.stringify(revoked, null, 2));
        return 0;
      }
      case 'list':
        console.log(JSON.stringify(await listApiKeys(db, values.all), null, 2));
        return 0;
      default:
        return fail(usage);
    }
  } catch (err) {
    if (err instanceof Problem) return fail(err.detail);
    throw err;
  } finally {
    await db.$disconnect();
  }
}

runCommand(main);
