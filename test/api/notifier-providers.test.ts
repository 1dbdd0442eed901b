import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { notifierFromSettings } from '../../notifications/notifier-providers';
import type { Notifier } from '../../notifications/notifier';
import { dispatchPending } from '../../notifications/outbox-dispatcher';
import { readConfig } from '../../domain/config';
import type { ReplyChannel } from '../../domain/vocabulary';
import { ownDatabase } from '../support/service-process';
import { eventually, startStack, type Stack } from '../support/stack';

// The production notifier adapters against real servers started here: an SMTP server (the
// smtp-server package) and an HTTP server standing in for the SMS gateway's API as the adapter
// documents it. Chosen by configuration; the outbox still hands each notification over once.

interface Mail {
  to: string[];
  raw: string;
}
interface Sms {
  to: string;
  text: string;
  reference: string;
}

let stack: Stack;
let database: Awaited<ReturnType<typeof ownDatabase>>;
let smtp: SMTPServer;
let gateway: Server;
let smtpPort: number;
let gatewayUrl: string;
const mails: Mail[] = [];
const sms = new Map<string, Sms>();
const gatewayRequests: { reference: string; status: number }[] = [];
const gatewayToken = `gw-${randomBytes(8).toString('hex')}`;

beforeAll(async () => {
  // Its own database: a dispatcher sends every pending row, and other test files send their own.
  database = await ownDatabase();
  stack = await startStack({ databaseUrl: database.url });
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // A mail server that knows no such user says so, naming the address (as real ones do).
    onRcptTo(address, _session, callback) {
      if (!address.address.startsWith('refused.')) return callback();
      callback(Object.assign(new Error(`<${address.address}>: Recipient address rejected: User unknown in virtual mailbox table`), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  // The gateway: bearer token, JSON body, and a reference it accepts once (409 after).
  gateway = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const answer = (status: number) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ status }));
      };
      if (req.method !== 'POST' || req.url !== '/v1/messages') return answer(404);
      if (req.headers.authorization !== `Bearer ${gatewayToken}`) return answer(401);
      const message = JSON.parse(body) as Sms;
      const reference = String(req.headers['idempotency-key']);
      const status = sms.has(reference) ? 409 : 202;
      if (status === 202 && reference === message.reference) sms.set(reference, message);
      gatewayRequests.push({ reference, status });
      answer(status);
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', () => resolve()));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/v1/messages`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  await new Promise<void>((resolve) => gateway?.close(() => resolve()));
  await stack?.stop();
  await database?.drop();
});

async function submit(replyChannel: ReplyChannel, contact: Record<string, string>): Promise<string> {
  const res = await fetch(`${stack.baseUrl}/v1/suggestions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      title: 'Lights on the riverside path at Yangpu Bridge',
      content: 'The path is dark after seven in winter; runners and walkers trip on the kerbs.',
      category: 'transport',
      district: 'yangpu',
      proposer: { name: 'Zhou Min', replyChannel, ...contact },
    }),
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  // Queued by then: the acknowledgement to the proposer and the notice to the department.
  await eventually(
    async () => (await stack.db.notification.count({ where: { suggestionId: id, recipient: { in: ['proposer', 'department:transport'] } } })) >= 2,
    `the notices of ${id}`,
  );
  return id;
}

const settings = () => ({
  SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
  SMTP_FROM: 'Suggestions <noreply@example.gov.cn>',
  SMS_GATEWAY_URL: gatewayUrl,
  SMS_GATEWAY_TOKEN: gatewayToken,
  SMS_SENDER: 'SH-JY',
});

/** Dispatches until nothing is pending, with two dispatchers racing each pass. */
async function dispatchAll(notifier: Notifier): Promise<void> {
  const dispatcher = { db: stack.db, keys: stack.keys, notifier };
  await eventually(async () => {
    await Promise.all([dispatchPending(dispatcher), dispatchPending(dispatcher)]);
    return (await stack.db.notification.count({ where: { status: 'pending' } })) === 0;
  }, 'the outbox to be empty');
}

test('configured, e-mail goes over SMTP and SMS through the gateway, each once, with the outbox row id as its identity; staff notices stay in the mailbox', async () => {
  const byEmail = await submit('email', { email: 'zhou.min@example.com' });
  const bySms = await submit('sms', { phone: '13700000005' });
  const lines: string[] = [];
  await dispatchAll(notifierFromSettings(settings(), (l) => lines.push(l)));

  const emailRows = await stack.db.notification.findMany({ where: { suggestionId: byEmail, recipient: 'proposer' } });
  expect(emailRows.length).toBeGreaterThanOrEqual(1);
  for (const row of emailRows) {
    const delivered = mails.filter((m) => m.raw.includes(`Message-ID: <${row.id}@suggestion-chain.invalid>`));
    expect(delivered).toHaveLength(1);
    expect(delivered[0].to).toEqual(['zhou.min@example.com']);
    expect(delivered[0].raw).toContain('From: Suggestions <noreply@example.gov.cn>');
    expect(row.status).toBe('sent');
  }

  const smsRows = await stack.db.notification.findMany({ where: { suggestionId: bySms, recipient: 'proposer' } });
  expect(smsRows.length).toBeGreaterThanOrEqual(1);
  for (const row of smsRows) {
    expect(sms.get(row.id)).toMatchObject({ to: '13700000005', reference: row.id, sender: 'SH-JY' });
    expect(gatewayRequests.filter((r) => r.reference === row.id)).toEqual([{ reference: row.id, status: 202 }]);
  }
  // Nothing for the proposer went to the mailbox; the departments' notices did.
  expect(await stack.db.mailboxMessage.count({ where: { recipient: 'proposer', suggestionId: { in: [byEmail, bySms] } } })).toBe(0);
  expect(await stack.db.mailboxMessage.count({ where: { recipient: 'department:transport', suggestionId: { in: [byEmail, bySms] } } })).toBe(2);
  // The log shows that a message went, never to whom in full.
  for (const secret of ['zhou.min@example.com', '13700000005', 'Zhou Min']) expect(lines.join('\n')).not.toContain(secret);
});

test('an SMS the gateway accepted just before the dispatcher crashed is handed over again and recognised by its reference: one message', async () => {
  const bySms = await submit('sms', { phone: '13700000006' });
  const real = notifierFromSettings(settings(), () => undefined);
  const crashed = new Set<string>();
  const crashingAfterHandOver: Notifier = {
    ...real,
    sms: {
      kind: 'sms',
      async deliver(d, tx) {
        await real.sms.deliver(d, tx);
        if (!crashed.has(d.id)) {
          crashed.add(d.id);
          throw new Error('process killed before the commit');
        }
      },
    },
  };
  await dispatchAll(crashingAfterHandOver);
  const rows = await stack.db.notification.findMany({ where: { suggestionId: bySms, recipient: 'proposer' } });
  expect(rows.length).toBeGreaterThanOrEqual(1);
  for (const row of rows) {
    expect(row.status).toBe('sent');
    expect(gatewayRequests.filter((r) => r.reference === row.id).map((r) => r.status)).toEqual([202, 409]);
    expect([...sms.values()].filter((m) => m.reference === row.id)).toHaveLength(1);
  }
});

test('an unreachable SMTP server leaves the notification pending with its error, to be sent on a later pass', async () => {
  const byEmail = await submit('email', { email: 'late.mail@example.com' });
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  const offline = notifierFromSettings({ ...settings(), SMTP_URL: `smtp://127.0.0.1:${deadPort}` }, () => undefined);
  await dispatchPending({ db: stack.db, keys: stack.keys, notifier: offline });
  const [waiting] = await stack.db.notification.findMany({ where: { suggestionId: byEmail, recipient: 'proposer' } });
  expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
  expect(waiting.lastError).toMatch(/ECONNREFUSED|connect/i);

  await dispatchAll(notifierFromSettings(settings(), () => undefined));
  expect(mails.filter((m) => m.raw.includes(`Message-ID: <${waiting.id}@suggestion-chain.invalid>`))).toHaveLength(1);
});

test("a mail server's rejection, which names the address, is kept in last_error and logged with the address masked, and with the server's status and reason", async () => {
  const byEmail = await submit('email', { email: 'refused.zhou@example.com', phone: '13700000007' });
  const logged: unknown[] = [];
  await dispatchPending({ db: stack.db, keys: stack.keys, notifier: notifierFromSettings(settings(), () => undefined), onError: (err) => logged.push(err) });
  const [failed] = await stack.db.notification.findMany({ where: { suggestionId: byEmail, recipient: 'proposer' } });
  expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
  expect(failed.lastError).toContain('550');
  expect(failed.lastError).toContain('Recipient address rejected');
  expect(failed.lastError).toContain('r***@example.com');
  // What the worker's logger writes of the error (pino's serializer, as worker/main.ts logs it).
  expect(logged).toHaveLength(1);
  const line = JSON.stringify(pino.stdSerializers.err(logged[0] as Error));
  expect(line).toContain('550');
  for (const text of [failed.lastError ?? '', line]) {
    expect(text).not.toContain('refused.zhou');
    expect(text).not.toContain('13700000007');
  }
  await stack.db.notification.updateMany({ where: { suggestionId: byEmail, recipient: 'proposer' }, data: { status: 'undeliverable' } });
});

test('the worker reads the providers from its configuration, and a setting that cannot work is refused at start', () => {
  const config = readConfig({
    SMTP_URL: 'smtps://mailer:secret@mail.example.gov.cn:465',
    SMTP_FROM: 'noreply@example.gov.cn',
    SMS_GATEWAY_URL: 'https://sms.example.gov.cn/v1/messages',
  });
  const notifier = notifierFromSettings(config, () => undefined);
  expect([notifier.email.kind, notifier.sms.kind]).toEqual(['email', 'sms']);
  expect(() => readConfig({ SMTP_URL: 'ftp://mail.example.gov.cn' })).toThrow(/SMTP_URL/);
  expect(() => readConfig({ SMS_GATEWAY_URL: 'file:///etc/passwd' })).toThrow(/SMS_GATEWAY_URL/);
  expect(() => notifierFromSettings({ SMTP_URL: 'smtp://127.0.0.1:25' }, () => undefined)).toThrow(/SMTP_FROM/);
});
