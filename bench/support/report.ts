import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { TEMPORAL_SERVER_VERSION } from '../../scripts/provision/temporal-server-postgres';

const file = resolve(__dirname, '../../docs/BENCHMARKS.md');

/** Cores, memory and versions of the machine a figure was measured on. */
export function machine(): string {
  const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8'));
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  return [
    `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB`,
    `Node.js ${process.version}, @temporalio/client ${deps['@temporalio/client']}, ${temporalServerName()}, embedded PostgreSQL`,
  ].join('; ');
}

/**
 * Which Temporal server a benchmark runs on: the one at TEMPORAL_ADDRESS, or one it starts for
 * itself, the CLI's dev server (SQLite, as `npm start` runs it) or, with BENCH_TEMPORAL=postgres,
 * Temporal Server on the benchmark's PostgreSQL, the production shape
 * (scripts/provision/temporal-server-postgres.ts).
 */
export function temporalKind(): 'external' | 'dev' | 'postgres' {
  if (process.env.TEMPORAL_ADDRESS) return 'external';
  const kind = process.env.BENCH_TEMPORAL ?? 'dev';
  if (kind !== 'dev' && kind !== 'postgres') throw new Error(`BENCH_TEMPORAL=${kind}: it is dev (the default) or postgres`);
  return kind;
}

function temporalServerName(): string {
  const kind = temporalKind();
  if (kind === 'external') return `the Temporal server at ${process.env.TEMPORAL_ADDRESS}`;
  return kind === 'postgres' ? `Temporal Server ${TEMPORAL_SERVER_VERSION} on PostgreSQL` : 'Temporal CLI dev server (SQLite, write-ahead log)';
}

/** The machine's 1-minute load average now: taken before a benchmark's own load, it says what else was running. */
export function loadAverage(): number {
  return loadavg()[0];
}

/** How busy the machine was when a run began, before its own load. */
export function loadNote(loadAtStart: number): string {
  const cores = cpus().length;
  const busy = loadAtStart >= cores / 2 ? '; other work was running on the machine' : '; the machine was otherwise quiet';
  return `Load average (1 min) ${loadAtStart.toFixed(1)} on ${cores} cores when the run began${busy}.`;
}

/** A Markdown table from rows of cells. */
export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Replaces the benchmark's own section of docs/BENCHMARKS.md (between its markers), so each
 * script keeps its latest result without touching the others'.
 */
export function writeSection(name: string, markdown: string): void {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const section = `${begin}\n${markdown.trim()}\n${end}`;
  mkdirSync(dirname(file), { recursive: true });
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nWritten by `npm run bench`; each section by its own script.\n';
  const start = current.indexOf(begin);
  const stop = current.indexOf(end);
  const next = start >= 0 && stop > start ? current.slice(0, start) + section + current.slice(stop + end.length) : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}

/** Prints a benchmark's report; a real run (not a smoke run) also keeps it in docs/BENCHMARKS.md. */
export function report(name: string, markdown: string, smoke: boolean): void {
  console.log(markdown);
  if (!smoke) writeSection(name, markdown);
}

/** Runs a benchmark script's main when the script is run itself (not imported by a smoke test). */
export function runWhenMain(module: NodeModule, main: () => Promise<void>): void {
  if (require.main !== module) return;
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
