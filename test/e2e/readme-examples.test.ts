import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { npmStartStack, root, startBudgetMs, type NpmStart } from '../support/npm-start';
import { eventually } from '../support/stack';

// The README's shell examples, run as a newcomer runs them: against a stack started like
// `npm start`, in bash, with the keys taken from the data folder the way the README says, and the
// tracking number the first call returned. Each must answer 2xx with the shape the README shows
// under it (`# → 200 {...}`), so the examples cannot drift from the API again.

const exampleNumber = 'JY-20261126-7K3QXM';
const exampleUpload = '3f2a9c1e-5b7d-4a60-a1c2-e3f405162738';
const execFileAsync = promisify(execFile);
let stack: NpmStart;

beforeAll(async () => {
  stack = await npmStartStack('readme-examples-');
  await stack.start();
}, startBudgetMs + 60_000);

afterAll(async () => {
  await stack?.dispose();
});

interface Example {
  /** The command as the README prints it. */
  command: string;
  /** What the README says it answers: `# → 202 {...}`. */
  expected?: { status: number; shape: string };
}

/** The ```sh blocks of a README section, each cut into its commands and the answers shown under them. */
function examplesOf(section: string): Example[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(`## ${section}\n`);
  const body = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const blocks = [...body.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  const examples: Example[] = [];
  for (const block of blocks) {
    let command = '';
    for (const line of block.split('\n')) {
      const answer = /^# → (\d{3}) (.*)$/.exec(line);
      if (answer) examples.at(-1)!.expected = { status: Number(answer[1]), shape: answer[2] };
      if (line.startsWith('#') || (line.trim() === '' && command === '')) continue;
      command += (command ? '\n' : '') + line;
      // A command goes on while a line ends in a backslash or a single quote is still open.
      if (line.endsWith('\\') || (command.split("'").length - 1) % 2 === 1) continue;
      examples.push({ command });
      command = '';
    }
  }
  return examples;
}

/**
 * Every "key": value the README shows, `…` standing for any value, as [key, literal or undefined].
 * `known` maps the README's example ids (a tracking number, an upload id) to the ones this run got.
 */
function documentedFields(shape: string, known: Map<string, string | undefined>): [string, unknown][] {
  return [...shape.matchAll(/"([A-Za-z]+)":("(?:[^"\\]|\\.)*"|null|true|false|-?\d+(?:\.\d+)?)?/g)].map(([, key, literal]) => {
    if (literal === undefined || literal === '"…"') return [key, undefined];
    let value = literal;
    for (const [example, actual] of known) {
      if (!value.includes(example)) continue;
      // Before the first answer an example id is not known: any value stands for it.
      if (actual === undefined) return [key, undefined];
      value = value.replaceAll(example, actual);
    }
    return [key, JSON.parse(value)];
  });
}

/** Whether some object in the answer has the key (with the value, when the README gives one). */
function shows(value: unknown, key: string, literal: unknown): boolean {
  if (Array.isArray(value)) return value.some((v) => shows(v, key, literal));
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  if (key in record && (literal === undefined || record[key] === literal)) return true;
  return Object.values(record).some((v) => shows(v, key, literal));
}

async function run(command: string, prelude: string[]): Promise<{ status: number; body: unknown; text: string }> {
  // Every curl also prints the status on a line of its own, so the example itself is run unchanged.
  const script = ['curl() { command curl -w \'\\n%{http_code}\' "$@"; }', ...prelude, command].join('\n');
  const { stdout } = await execFileAsync('bash', ['-euo', 'pipefail', '-c', script], { cwd: root, env: { ...process.env, DATA_DIR: stack.dataDir } });
  const lines = stdout.trimEnd().split('\n');
  const status = Number(lines.pop());
  const text = lines.join('\n');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status, body, text };
}

/**
 * Runs a section's examples in order: commands that set variables are kept for the later ones, each
 * curl must answer as the README shows, and the ids its answers give (`idFields`: the example id
 * and the field that answers it) stand for the README's from then on. Returns the ids got.
 */
async function runExamples(requests: Example[], idFields: Record<string, string>): Promise<Map<string, string | undefined>> {
  const known = new Map<string, string | undefined>(Object.keys(idFields).map((example) => [example, undefined]));
  const prelude: string[] = [];
  for (const example of requests) {
    let command = example.command.replaceAll('localhost:3000', `127.0.0.1:${stack.ports.api}`);
    for (const [exampleId, actual] of known) if (actual) command = command.replaceAll(exampleId, actual);
    if (!command.startsWith('curl')) {
      // Setting the variables the later commands use (the keys, the tracking number): kept for them.
      prelude.push(command);
      await run('true', prelude);
      continue;
    }
    const expected = example.expected;
    expect([example.command, expected]).toEqual([example.command, expect.objectContaining({ status: expect.any(Number) })]);
    const matches = (r: Awaited<ReturnType<typeof run>>) =>
      r.status === expected!.status && documentedFields(expected!.shape, known).every(([key, literal]) => shows(r.body, key, literal));
    // A read shows what has happened by then (the routing takes a moment); a write is sent once.
    const writes = command.includes(' -d ') || command.includes(' -F ');
    const reply = writes
      ? await run(command, prelude)
      : await eventually(
          async () => {
            const r = await run(command, prelude);
            return matches(r) && r;
          },
          `${example.command.split('\n')[0]} to answer as the README shows`,
          60_000,
        ).catch(async () => run(command, prelude));
    expect({ command: example.command, status: reply.status }).toEqual({ command: example.command, status: expected!.status });
    expect(reply.status).toBeGreaterThanOrEqual(200);
    expect(reply.status).toBeLessThan(300);
    for (const [key, literal] of documentedFields(expected!.shape, known)) {
      expect({ command: example.command, key, literal, shown: shows(reply.body, key, literal) }).toEqual({
        command: example.command,
        key,
        literal,
        shown: true,
      });
    }
    // The id the first answer gave names its thing in every later example.
    for (const [exampleId, field] of Object.entries(idFields)) {
      const value = (reply.body as Record<string, unknown> | undefined)?.[field];
      if (!known.get(exampleId) && typeof value === 'string') known.set(exampleId, value);
    }
  }
  return known;
}

test("the README's two-command examples answer as the README shows, run in bash against npm start's stack", async () => {
  const examples = examplesOf('Two commands');
  // The first block is `npm start` and `npm test` themselves: the stack this test started.
  expect(examples.slice(0, 2).map((e) => e.command.split(/\s+/).slice(0, 2).join(' '))).toEqual(['npm start', 'npm test']);
  const requests = examples.slice(2);
  expect(requests.filter((e) => e.command.startsWith('curl')).length).toBeGreaterThanOrEqual(5);
  const known = await runExamples(requests, { [exampleNumber]: 'trackingNumber' });
  expect(known.get(exampleNumber)).toEqual(expect.any(String));
}, 180_000);

test("the README's upload and a submission naming it with its place answer as the README shows", async () => {
  const requests = examplesOf('Place and attachments (地点与附件)');
  expect(requests.filter((e) => e.command.startsWith('curl')).map((e) => e.command.split(' ')[2])).toEqual([
    'localhost:3000/v1/uploads',
    'localhost:3000/v1/suggestions',
  ]);
  const known = await runExamples(requests, { [exampleUpload]: 'uploadId', [exampleNumber]: 'trackingNumber' });
  // The suggestion carries the very upload and place the README names.
  const id = known.get(exampleNumber)!;
  const keys: { id: string; key: string }[] = JSON.parse(readFileSync(join(stack.dataDir, 'dev-api-keys.json'), 'utf8'));
  const office = keys.find((k) => k.id === 'dev-office')!.key;
  const view = await eventually(async () => {
    const body = (await (await fetch(stack.url(`/v1/suggestions/${id}`), { headers: { authorization: `Bearer ${office}` } })).json()) as {
      attachments?: { id: string }[];
      place?: { street?: string };
    };
    return body.attachments && body;
  }, 'the suggestion with its attachment');
  expect([view.attachments!.map((a) => a.id), view.place?.street]).toEqual([[known.get(exampleUpload)], '310110019']);
}, 120_000);
