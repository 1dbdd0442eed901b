import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type Log = (msg: string) => void;
export const silent: Log = () => undefined;

/** Absolute path of `command` on PATH, or undefined; lets callers explain what is missing before spawning. */
export function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this PATH entry
    }
  }
  return undefined;
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The last `limit` characters a process wrote, so start-up errors can quote the server's own words. */
export class OutputTail {
  private text = '';
  constructor(private readonly limit = 8000) {}
  push(chunk: Buffer | string): void {
    this.text += chunk.toString();
    if (this.text.length > this.limit) this.text = this.text.slice(-this.limit);
  }
  toString(): string {
    return this.text.trim();
  }
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion. Each complete output line goes to `onLine` (for progress of
 * multi-minute builds); a non-zero exit rejects with the command and its output tail.
 */
export function run(command: string, args: string[], opts: SpawnOptions & { onLine?: Log } = {}): Promise<RunResult> {
  const { onLine, ...spawnOpts } = opts;
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { ...spawnOpts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const tail = new OutputTail();
    const forward = (buffered: { rest: string }, chunk: Buffer) => {
      if (!onLine) return;
      const lines = (buffered.rest + chunk.toString()).split('\n');
      buffered.rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line);
    };
    const outRest = { rest: '' };
    const errRest = { rest: '' };
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      tail.push(chunk);
      forward(outRest, chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      tail.push(chunk);
      forward(errRest, chunk);
    });
    child.on('error', (err) => reject(new Error(`could not run ${command}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolveRun({ stdout, stderr });
      else reject(new Error(`\`${[command, ...args].join(' ')}\` failed (${signal ? `signal ${signal}` : `exit code ${code}`}):\n${tail}`));
    });
  });
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves when the child has exited (immediately if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

/**
 * SIGTERM first so servers flush their state (the dev server's SQLite file), SIGKILL if the
 * process has not gone after `graceMs`; resolves only once it has really exited, so callers
 * can reuse its ports and files.
 */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (hasExited(child)) return;
  const gone = exited(child);
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolveTimeout) => {
    timer = setTimeout(() => resolveTimeout(true), graceMs);
  });
  const forced = await Promise.race([gone.then(() => false), timedOut]);
  clearTimeout(timer);
  if (forced) {
    child.kill('SIGKILL');
    await gone;
  }
}

/**
 * Polls `attempt` until it returns a value other than undefined. Each failure is remembered so a
 * timeout can say why the condition never held instead of only that it did not.
 */
export async function pollUntil<T>(
  describe: string,
  attempt: () => Promise<T | undefined>,
  opts: { timeoutMs: number; intervalMs?: number; abortIf?: () => string | undefined },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const abort = opts.abortIf?.();
    if (abort) throw new Error(`${describe}: ${abort}`);
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`${describe}: timed out after ${opts.timeoutMs} ms${why}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}
