import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Pool } from 'pg';

// The baseline for the archive's reads: an HTTP endpoint that runs the very statements the API
// runs for a page (captured from its ORM by bench/archive.ts: same text, same parameters, in
// the same rounds, a round's statements at once) through `pg` directly, and answers their rows
// as JSON. Driven by the same load generator as the API, on a pool of the API's size.

interface Statement {
  text: string;
  values: unknown[];
}

const pages: Record<string, Statement[][]> = JSON.parse(readFileSync(process.env.BASELINE_PAGES!, 'utf8'));
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.BASELINE_POOL ?? 10) });

const server = createServer(async (req, res) => {
  const name = decodeURIComponent((req.url ?? '').replace(/^\/page\//, '').replace(/\?.*$/, ''));
  if (req.url === '/healthz') return void res.writeHead(200).end('ok');
  const rounds = pages[name];
  if (!rounds) return void res.writeHead(404).end(`no page ${name}`);
  try {
    const answers: unknown[][] = [];
    for (const round of rounds) {
      const results = await Promise.all(round.map((s) => pool.query({ text: s.text, values: s.values })));
      answers.push(...results.map((r) => r.rows));
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answers));
  } catch (err) {
    res.writeHead(500).end(String(err));
  }
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('baseline listening'));
const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
