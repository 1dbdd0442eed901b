import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fail, runCommand } from './command-line';
import { serverFolder, writeDevelopmentCertificates } from './certificates';

// `npm run temporal-certificates -- --out <dir> --server-name temporal`: a development CA, the
// Temporal frontend's certificate and the client certificates of the API and the worker, for
// mutual TLS (TEMPORAL_TLS_*). docker-compose.yml runs it once into a volume; production mounts
// certificates from the city's own PKI instead.

const usage = `usage: npm run temporal-certificates -- --out <dir> [--server-name <name>]... [--client <name>]... [--days <n>] [--force]

  --out          the folder to write into: ca.pem, and <identity>/{ca.pem,cert.pem,key.pem} for
                 ${serverFolder} (the frontend) and each client
  --server-name  a name clients reach the frontend by, in its certificate (repeatable);
                 localhost and 127.0.0.1 are always in it
  --client       a client certificate to issue, by common name (repeatable; default: api, worker)
  --days         how long the certificates are valid (default 365)
  --force        replace a set already in --out (otherwise it is left alone)`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      'server-name': { type: 'string', multiple: true },
      client: { type: 'string', multiple: true },
      days: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.out) return fail(usage);
  const days = values.days === undefined ? 365 : Number(values.days);
  if (!Number.isInteger(days) || days < 1) return fail(`--days: a whole number of days, at least 1\n${usage}`);
  const out = resolve(values.out);
  const result = await writeDevelopmentCertificates({
    out,
    serverNames: values['server-name'] ?? [],
    clients: values.client ?? ['api', 'worker'],
    days,
    force: values.force,
  });
  if (!result.written) {
    console.log(`${out} already holds a development set (valid until ${result.notAfter.toISOString()}); --force issues a new one`);
    return 0;
  }
  console.log(`development certificates for Temporal's mutual TLS in ${out}, valid until ${result.notAfter.toISOString()}:`);
  console.log(`  ca.pem                  the development CA (its private key is not kept)`);
  for (const [name, dir] of Object.entries(result.folders)) {
    const what =
      name === serverFolder
        ? "the frontend's certificate and key, and the CA it trusts clients by"
        : `${name}'s client certificate and key, and the CA it trusts the frontend by`;
    console.log(`  ${`${name}/`.padEnd(22)}  ${what}`);
    if (name !== serverFolder) console.log(`${' '.repeat(26)}TEMPORAL_TLS_CA=${dir}/ca.pem TEMPORAL_TLS_CERT=${dir}/cert.pem TEMPORAL_TLS_KEY=${dir}/key.pem`);
  }
  return 0;
}

runCommand(main);
