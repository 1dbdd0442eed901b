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

/** Every "key": value the README shows, `…` standing for any value, as [key, literal or undefined]. */
function documentedFields(shape: string, id: string): [string, unknown][] {
  return [...shape.matchAll(/"([A-Za-z]+)":("(?:[^"\\]|\\.)*"|null|true|false|-?\d+(?:\.\d+)?)?/g)].map(([, key, literal]) => {
    // Before the first answer the tracking number is not known: any value stands for it.
    if (literal === undefined || literal === '"…"' || (id === exampleNumber && literal.includes(exampleNumber))) return [key, undefined];
    return [key, JSON.parse(literal.replaceAll(exampleNumber, id))];
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
  const script = ["curl() { command curl -w '\\n%{http_code}' \"$@\"; }", ...prelude, command].join('\n');
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

test("the README's two-command examples answer as the README shows, run in bash against npm start's stack", async () => {
  const examples = examplesOf('Two commands');
  // The first block is `npm start` and `npm test` themselves: the stack this test started.
  expect(examples.slice(0, 2).map((e) => e.command.split(/\s+/).slice(0, 2).join(' '))).toEqual(['npm start', 'npm test']);
  const requests = examples.slice(2);
  expect(requests.filter((e) => e.command.startsWith('curl')).length).toBeGreaterThanOrEqual(5);

  const prelude: string[] = [];
  let id = exampleNumber;
  for (const example of requests) {
    const command = example.command.replaceAll('localhost:3000', `127.0.0.1:${stack.ports.api}`).replaceAll(exampleNumber, id);
    if (!command.startsWith('curl')) {
      // Setting the variables the later commands use (the keys, the tracking number): kept for them.
      prelude.push(command);
      await run('true', prelude);
      continue;
    }
    const expected = example.expected;
    expect([example.command, expected]).toEqual([example.command, expect.objectContaining({ status: expect.any(Number) })]);
    const matches = (r: Awaited<ReturnType<typeof run>>) => r.status === expected!.status && documentedFields(expected!.shape, id).every(([key, literal]) => shows(r.body, key, literal));
    // A read shows what has happened by then (the routing takes a moment); a write is sent once.
    const reply = command.includes(' -d ') ? await run(command, prelude) : await eventually(async () => {
      const r = await run(command, prelude);
      return matches(r) && r;
    }, `${example.command.split('\n')[0]} to answer as the README shows`, 60_000).catch(async () => run(command, prelude));
    expect({ command: example.command, status: reply.status }).toEqual({ command: example.command, status: expected!.status });
    expect(reply.status).toBeGreaterThanOrEqual(200);
    expect(reply.status).toBeLessThan(300);
    for (const [key, literal] of documentedFields(expected!.shape, id)) {
      expect({ command: example.command, key, literal, shown: shows(reply.body, key, literal) }).toEqual({ command: example.command, key, literal, shown: true });
    }
    // The tracking number the first call returned names the suggestion in every later example.
    if (id === exampleNumber && typeof (reply.body as { trackingNumber?: unknown })?.trackingNumber === 'string') id = (reply.body as { trackingNumber: string }).trackingNumber;
  }
  expect(id).not.toBe(exampleNumber);
}, 180_000);
