import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { prepareDatabase } from '../../prisma/prepare';
import { OutputTail, hasExited, pollUntil, stopChild } from '../../scripts/provision/process';

export interface ServiceProcess {
  child: ChildProcess;
  /** Every line the process wrote to stdout, in order. */
  lines: string[];
  /** Waits until a JSON line matches, failing early with the output if the process exits. */
  waitForLine(what: string, match: (entry: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * Runs one of the project's entry points (api/main.ts, worker/main.ts) as its own process, as
 * compose and `npm start` do, and keeps its stdout lines for the test to read.
 */
export function startServiceProcess(entryPoint: string, env: Record<string, string | undefined>): ServiceProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entryPoint], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = new OutputTail();
  const lines: string[] = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output.push(chunk);
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop()!;
    lines.push(...parts.filter(Boolean));
  });
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk));
  return {
    child,
    lines,
    waitForLine: (what, match) =>
      pollUntil(`${entryPoint} to log ${what}`, async () => lines.map(parseLine).find((entry) => entry !== undefined && match(entry)), {
        timeoutMs: 60_000,
        intervalMs: 50,
        abortIf: () => (hasExited(child) ? `the process exited:\n${output}` : undefined),
      }),
    stop: () => stopChild(child),
  };
}

export function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * A database of its own on the test run's PostgreSQL, migrated and seeded, for a process that must
 * not share the outbox, or for another city's profile (a name in profiles/ or a path).
 */
export async function ownDatabase(options: { profile?: string } = {}): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `service_${randomUUID().replaceAll('-', '')}`;
  const admin = async (sql: string) => {
    const pg = new PgClient({ connectionString: process.env.DATABASE_URL });
    await pg.connect();
    try {
      await pg.query(sql);
    } finally {
      await pg.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  await prepareDatabase(url.toString(), undefined, options.profile);
  return { url: url.toString(), drop: () => admin(`DROP DATABASE ${name} WITH (FORCE)`) };
}
