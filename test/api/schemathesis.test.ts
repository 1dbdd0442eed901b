import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staffRoles, type StaffRole } from '../../domain/vocabulary';
import { ensureSchemathesis } from '../../scripts/provision/schemathesis';
import { serveApi, unlimited } from '../support/api-client';
import { prepareFuzzExamples, withExamples } from '../support/fuzz-fixtures';
import { ownDatabase } from '../support/service-process';
import { startStack, type Stack } from '../support/stack';

// The external fuzzer schemathesis reads the API's OpenAPI document and sends requests it
// generates from it, once as every kind of caller (each staff role's key, and none): valid and
// invalid, boundary values, random ones. No answer may be a 5xx or contradict the document
// (status, media type, body schema, headers, 405 with Allow), and every operation must be
// answered 2xx by at least one caller. The examples phase acts on records made for it
// (test/support/fuzz-fixtures.ts), so actions reach the state their success needs.
//
// The coverage phase (every boundary and invalid value of every field, as many cases as the
// schema defines, which max-examples cannot bound) is shared out so that no case is sent where it
// can only repeat another's answer, and the file keeps to a few minutes:
// - an operation that refuses a caller checks the role before anything else (api/endpoint.ts),
//   so the caller's hundreds of cases there would all get the 401 or 403 its examples and fuzzing
//   already get: the caller sends none;
// - the valid values (positive cases) reach the handler, whose answer depends on who asks (a
//   department sees its own suggestions only): every caller the operation admits sends them;
// - the invalid values (negative cases) are refused by the operation's zod schemas, whichever
//   role asks: one caller it admits sends them, the one admitted to the fewest operations (the
//   operation's most particular user: the public for a public one, a department for its own).

type Caller = StaffRole | 'anonymous';
const callers: Caller[] = ['anonymous', ...staffRoles];

/**
 * Cannot succeed in a test's minutes: the follow-up check is asked for months after the
 * implementation (followUpMonths, at least one). Its example must reach the workflow and be refused
 * there as not yet asked (409); test/workflow covers the answer on the time-skipping server.
 */
const noSuccessInMinutes: Record<string, { caller: Caller; status: number }> = {
  'POST /v1/suggestions/{id}/implementation/follow-up': { caller: 'department', status: 409 },
};

let stack: Stack;
let database: Awaited<ReturnType<typeof ownDatabase>>;
let api: Awaited<ReturnType<typeof serveApi>>;
let st: string;
let documentFile: string;
let operations: string[];
/** The operations each caller's role may use, by label ("POST /v1/suggestions/{id}/decision"). */
const admitting = new Map<Caller, Set<string>>();
/** Who sends each operation's invalid values in the coverage phase. */
const invalidValuesBy = new Map<string, Caller>();
/** The callers, the one admitted to the fewest operations first. */
let narrowestFirst: Caller[];
const keys = {} as Record<StaffRole, string>;
const scratch: string[] = [];
const scratchDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `schemathesis-${name}-`));
  scratch.push(dir);
  return dir;
};

beforeAll(async () => {
  st = await ensureSchemathesis((m) => process.stderr.write(`[schemathesis] ${m}\n`));
  // Its own database: generated requests as the office change routing rules and other reference
  // data that the other test files running beside it rely on.
  database = await ownDatabase();
  stack = await startStack({ databaseUrl: database.url });
  // Rate limits are proved elsewhere; here they would only turn generated requests into 429s.
  api = await serveApi(stack, { rateLimits: unlimited });
  for (const role of staffRoles) keys[role] = await stack.issueKey(role, role === 'department' ? 'transport' : undefined);
  const document = (await api.call('GET', '/openapi.json')).body;
  operations = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
    Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
  );
  for (const caller of callers) {
    const mine = api.endpoints.filter((e) => e.access === 'public' || (caller !== 'anonymous' && e.access.includes(caller)));
    admitting.set(caller, new Set(mine.map((e) => `${e.method.toUpperCase()} ${e.path.replace(/:([A-Za-z]+)/g, '{$1}')}`)));
  }
  narrowestFirst = [...callers].sort((a, b) => admitting.get(a)!.size - admitting.get(b)!.size);
  for (const label of operations)
    invalidValuesBy.set(
      label,
      narrowestFirst.find((c) => admitting.get(c)!.has(label))!,
    );
  const examples = await prepareFuzzExamples(stack, api.call, keys);
  documentFile = join(scratchDir('document'), 'openapi.json');
  writeFileSync(documentFile, JSON.stringify(withExamples(document, examples)));
}, 600_000);
afterAll(async () => {
  await api?.stop();
  await stack?.stop();
  await database?.drop();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

const checks = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'response_headers_conformance',
  'unsupported_method',
];

interface Run {
  caller: Caller;
  phases: string;
  code: number;
  output: string;
  seconds: number;
  requests: number;
  /** Every status each operation was answered with, by label ("POST /v1/suggestions/{id}/decision"). */
  statuses: Map<string, Set<number>>;
  /** Failed checks by name (not_a_server_error: 5xx; response_schema_conformance: a body the document does not allow …). */
  failures: Map<string, number>;
}

/** How many cases the examples phase (each operation's one example) and the fuzzing phase send per operation. */
const maxExamples = { examples: 1, fuzzing: Number(process.env.SCHEMATHESIS_MAX_EXAMPLES ?? 6) };

/** Runs one schemathesis pass as one caller over every operation. */
async function fuzz(caller: Caller, phases: string): Promise<Run> {
  const dir = scratchDir(caller);
  const report = join(dir, 'events.ndjson');
  const refusing = operations.filter((label) => !admitting.get(caller)!.has(label));
  const validOnly = operations.filter((label) => admitting.get(caller)!.has(label) && invalidValuesBy.get(label) !== caller);
  const config = join(dir, 'schemathesis.toml');
  writeFileSync(
    config,
    [
      // Values seen in responses are not reused as inputs: the examples' records are each for one
      // operation, and an action on one from another operation would take it from its own.
      ...['examples', 'coverage', 'fuzzing'].map((phase) => `[phases.${phase}.extra-data-sources]\nresponses = false\n`),
      ...Object.entries(maxExamples).map(([phase, n]) => `[phases.${phase}.generation]\nmax-examples = ${n}\n`),
      ...(refusing.length ? [`[[operations]]\ninclude-name = ${JSON.stringify(refusing)}\nphases.coverage.enabled = false\n`] : []),
      ...(validOnly.length ? [`[[operations]]\ninclude-name = ${JSON.stringify(validOnly)}\nphases.coverage.generation.mode = "positive"\n`] : []),
    ].join('\n'),
  );
  const args = [
    '--config-file',
    config,
    'run',
    documentFile,
    '--url',
    api.baseUrl,
    '--checks',
    checks.join(','),
    '--phases',
    phases,
    '--seed',
    process.env.SCHEMATHESIS_SEED ?? '20261127',
    '--workers',
    '2',
    '--generation-database',
    'none',
    '--report',
    'ndjson',
    '--report-ndjson-path',
    report,
    '--no-color',
    ...(caller === 'anonymous' ? [] : ['--header', `Authorization: Bearer ${keys[caller]}`]),
  ];
  const output: string[] = [];
  const started = Date.now();
  const code = await new Promise<number>((resolve, reject) => {
    // CPython 3.11 fails with "SystemError: AST constructor recursion depth mismatch" when
    // `ast.parse` runs deep inside hypothesis's generation. Two places do: anyio's lazy importer
    // compiling its source (so those modules are imported up front, shallow at start-up), and
    // hypothesis reading a filter lambda's source only to name the strategy in its repr (for the
    // codec's payload schema, among others), which then reads "<unknown>" instead. Neither
    // changes a request that is sent.
    const preload = join(dir, 'preload.py');
    writeFileSync(
      preload,
      [
        'import anyio',
        'import schemathesis.transport.asgi',
        'from hypothesis.internal import lambda_sources',
        '_describe = lambda_sources._lambda_description',
        'def _described(f, *args, **kwargs):',
        '    try:',
        '        return _describe(f, *args, **kwargs)',
        '    except SystemError:',
        '        return "lambda: <unknown>"',
        'lambda_sources._lambda_description = _described',
        '',
      ].join('\n'),
    );
    const child = spawn(st, args, { cwd: dir, env: { ...process.env, SCHEMATHESIS_HOOKS: preload } });
    child.stdout.on('data', (d) => output.push(d.toString()));
    child.stderr.on('data', (d) => output.push(d.toString()));
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  return { caller, phases, code, output: output.join(''), seconds: (Date.now() - started) / 1000, ...readReport(readFileSync(report, 'utf8')) };
}

type Recorded = {
  label?: string;
  interactions?: Record<string, { request?: { method?: string }; response?: { status_code?: number } }>;
  checks?: Record<string, { name: string; status: string }[]>;
};

/** Each ScenarioFinished event records its operation's interactions (request and response) and the checks run on them. */
function readReport(ndjson: string): Pick<Run, 'requests' | 'statuses' | 'failures'> {
  const statuses = new Map<string, Set<number>>();
  const failures = new Map<string, number>();
  let requests = 0;
  for (const line of ndjson.split('\n').filter(Boolean)) {
    const recorder = (JSON.parse(line) as { ScenarioFinished?: { recorder?: Recorded } }).ScenarioFinished?.recorder;
    if (!recorder?.label) continue;
    const method = recorder.label.split(' ')[0];
    for (const interaction of Object.values(recorder.interactions ?? {})) {
      requests += 1;
      // The unsupported_method check's own requests (OPTIONS, TRACE …) say nothing of the operation's answers.
      if (interaction.request?.method !== method) continue;
      const status = interaction.response?.status_code;
      if (status !== undefined) statuses.set(recorder.label, (statuses.get(recorder.label) ?? new Set()).add(status));
    }
    for (const check of Object.values(recorder.checks ?? {}).flat()) {
      if (check.status === 'failure') failures.set(check.name, (failures.get(check.name) ?? 0) + 1);
    }
  }
  return { requests, statuses, failures };
}

/** Runs `work` over `items`, `width` at a time: the fuzzer's processes and the API share two cores. */
async function inParallel<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i]);
      }
    }),
  );
  return results;
}

test('as every caller, schemathesis finds no 5xx and no answer that contradicts the OpenAPI document, and every operation is answered 2xx by at least one caller', async () => {
  const started = Date.now();
  // One run per caller, two at a time. Each run sends its examples first, so every operation's
  // record is acted on by its example before that caller's generated requests (coverage: boundary
  // and invalid values for every field; fuzzing: random ones) could take it; an action's record is
  // for the roles that action admits. Office staff are admitted to the most operations, so their
  // run is the longest: it starts first.
  const runs = await inParallel([...narrowestFirst].reverse(), 2, (caller) => fuzz(caller, 'examples,coverage,fuzzing'));

  const succeeded = new Map<string, Set<Caller>>();
  const answered = new Map<string, Map<Caller, Set<number>>>();
  for (const run of runs) {
    for (const [label, codes] of run.statuses) {
      const byCaller = answered.get(label) ?? new Map<Caller, Set<number>>();
      byCaller.set(run.caller, new Set([...(byCaller.get(run.caller) ?? []), ...codes]));
      answered.set(label, byCaller);
      if ([...codes].some((c) => c >= 200 && c < 300)) succeeded.set(label, (succeeded.get(label) ?? new Set()).add(run.caller));
    }
  }
  const summary = callers.map((caller) => {
    const mine = runs.filter((r) => r.caller === caller);
    const operationsAnswered = new Set(mine.flatMap((r) => [...r.statuses.keys()]));
    const ok = [...succeeded].filter(([, who]) => who.has(caller)).length;
    const failed = mine.reduce((n, r) => n + [...r.failures.values()].reduce((a, b) => a + b, 0), 0);
    return `${caller.padEnd(10)} ${String(operationsAnswered.size).padStart(3)} operations, ${String(ok).padStart(3)} answered 2xx, ${String(mine.reduce((n, r) => n + r.requests, 0)).padStart(5)} requests, ${failed} failures, ${mine.map((r) => `${r.phases} ${r.seconds.toFixed(0)} s`).join(', ')}`;
  });
  process.stderr.write(
    `[schemathesis] ${operations.length} operations, ${((Date.now() - started) / 1000).toFixed(0)} s\n${summary.map((l) => `[schemathesis] ${l}`).join('\n')}\n`,
  );

  for (const run of runs) {
    const failures = Object.fromEntries(run.failures);
    if (run.code !== 0 || Object.keys(failures).length > 0)
      throw new Error(`schemathesis as ${run.caller} (${run.phases}) reported failures ${JSON.stringify(failures)}:\n${run.output.slice(-6000)}`);
  }
  const withoutSuccess = operations.filter((label) => !succeeded.has(label) && !(label in noSuccessInMinutes));
  expect(
    withoutSuccess.map((label) => `${label}: ${JSON.stringify(Object.fromEntries([...(answered.get(label) ?? new Map())].map(([c, s]) => [c, [...s]])))}`),
  ).toEqual([]);
  for (const [label, expected] of Object.entries(noSuccessInMinutes)) {
    expect([label, [...(answered.get(label)?.get(expected.caller) ?? [])]]).toEqual([label, expect.arrayContaining([expected.status])]);
  }
  expect(runs.reduce((n, r) => n + r.requests, 0)).toBeGreaterThanOrEqual(1000);
  expect((await api.call('GET', '/healthz')).status).toBe(200);
}, 900_000);
