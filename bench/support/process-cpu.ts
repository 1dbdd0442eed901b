import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

// The CPU time the benchmark's servers use, read from Linux's /proc: to tell which server a
// suggestion's cost lands on (the Temporal server, PostgreSQL, the API, the worker).

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface ProcStat {
  pid: number;
  ppid: number;
  /** Its own CPU seconds, and those of its children it has waited for (PostgreSQL's ended backends). */
  own: number;
  children: number;
}

function stat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command in parentheses: state ppid … utime(14) stime(15) cutime(16) cstime(17).
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const at = (field: number) => Number(fields[field - 3]);
    return { pid, ppid: at(4), own: (at(14) + at(15)) / ticksPerSecond, children: (at(16) + at(17)) / ticksPerSecond };
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** A server to measure: one process by pid, or the processes whose command line holds a text, with their children. */
export type Measured = { pid: number } | { commandLineHolds: string };

/**
 * CPU seconds used so far by each named server: the process itself, the children it has waited
 * for, and its live children (a PostgreSQL server's backends). 0 for a server not found.
 */
export function cpuSeconds(servers: Record<string, Measured>): Record<string, number> {
  const stats = allPids()
    .map(stat)
    .filter((s): s is ProcStat => s !== undefined);
  const result: Record<string, number> = {};
  for (const [name, measured] of Object.entries(servers)) {
    const roots = 'pid' in measured ? stats.filter((s) => s.pid === measured.pid) : stats.filter((s) => commandLine(s.pid).includes(measured.commandLineHolds));
    const rootPids = new Set(roots.map((s) => s.pid));
    const children = stats.filter((s) => rootPids.has(s.ppid) && !rootPids.has(s.pid));
    result[name] = roots.reduce((sum, s) => sum + s.own + s.children, 0) + children.reduce((sum, s) => sum + s.own, 0);
  }
  return result;
}

/** The CPU seconds each server used between two readings. */
export function cpuUsedBetween(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([name, seconds]) => [name, seconds - (before[name] ?? 0)]));
}
