import express, { Router, type RequestHandler } from 'express';
import type { Payload } from '@temporalio/common';
import { z } from 'zod';
import { EncryptionCodec } from '../../codec';
import type { StaffRole } from '../../domain/vocabulary';
import { identifyStaff, requireRole } from '../auth';
import { disclose, proposerCustodians } from '../codec-disclosure';
import { staffRateLimiter } from '../rate-limit';
import { endSession, identifyBySession, startSession } from '../codec-session';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { Problem } from '../problem';
import { problemDocument } from '../schemas';

// The codec endpoint the Temporal Web UI (and `temporal --codec-endpoint`) calls to show staff the
// workflows' encrypted payloads in clear. Only staff with a city-wide view may read them: anyone
// else, including the UI without a signed-in user, gets a refusal and sees ciphertext.

/** Decoding shows the workflows' state, so only roles that oversee all suggestions may; the proposer only to custodians (codec-disclosure.ts). */
export const codecRoles: StaffRole[] = ['office', 'supervisor', 'admin'];

/** A Temporal UI page decodes a few batches; this many a minute per member of staff is plenty, and bounds a scrape. */
const decodesPerMinute = 240;

// temporal.api.common.v1.Payloads in protobuf's JSON form: bytes as base64.
const payloadJson = z.object({
  metadata: z.record(z.string(), z.base64()).default({}).describe("the payload's metadata, each value base64 (encoding, encryption-key-id …)"),
  data: z.base64().default('').describe("the payload's bytes, base64"),
});
const payloadsJson = z
  .object({ payloads: z.array(payloadJson).max(1000).describe('the payloads to encode or decode, at most 1000') })
  .describe("Temporal payloads in protobuf's JSON form, as the Web UI's codec calls send them")
  .meta({ examples: [{ payloads: [{ metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: 'IuWbveWumui3r+WFrOS6pOermeWKoOijheWAmei9puS6rSI=' }] }] });
type PayloadJson = z.output<typeof payloadJson>;

export function codecRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  const codec = new EncryptionCodec(ctx.keys);
  // Who asks is known before anything is read: the body is parsed only for staff allowed to decode.
  router.use('/codec', allowUiOrigins(ctx.codecOrigins ?? []), identifyStaff(ctx.db, ctx.verifyToken), identifyBySession(ctx.db, ctx.keys, ctx.staffSessions));
  router.post(
    '/codec/decode',
    requireRole(...codecRoles),
    staffRateLimiter('codec-decode', { limit: decodesPerMinute, windowMs: 60_000 }, ctx.rateLimitCounter),
    // Own body limit: a workflow's input or state can exceed what the rest of the API accepts.
    express.json({ limit: '4mb' }),
  );
  router.get('/codec/sign-in', (_req, res) => {
    res.setHeader('Content-Security-Policy', "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; form-action 'none'");
    res.type('html').send(signInPage);
  });
  router.get('/codec/sign-in.js', (_req, res) => {
    res.type('text/javascript').send(signInScript);
  });

  // No /codec/encode: the UI could seal a request of any staff member's choosing with the key, and
  // the workflows act only on requests the API issues (workflows/issued-for.ts). Actions go through the API.
  registry.add(
    router,
    {
      method: 'post',
      path: '/codec/decode',
      summary:
        "Temporal codec endpoint: decrypts payloads for the Temporal Web UI or CLI (staff who oversee all suggestions); the proposer's details only for the collection office and administrators; every decode is recorded",
      tag: 'codec',
      access: codecRoles,
      body: payloadsJson,
      responses: {
        200: { description: 'The payloads, decoded', schema: payloadsJson },
        401: { description: 'No staff credentials', schema: problemDocument },
        403: { description: 'A role without a city-wide view, or a browser origin that is not the Temporal UI', schema: problemDocument },
        422: { description: 'A payload cannot be decrypted (unknown key or tampered data)', schema: problemDocument },
        429: { description: 'Too many decodes in a minute', schema: problemDocument },
      },
    },
    async ({ body, req, res }) => {
      const staff = req.staff!;
      let decoded: Payload[];
      try {
        decoded = await codec.decode(body.payloads.map(fromJson));
      } catch (err) {
        throw new Problem(422, 'undecodable-payload', 'Payload cannot be decrypted', (err as Error).message);
      }
      const shown = await disclose(ctx.keys, decoded, staff.role, (id) => ctx.db.proposerKey.findUnique({ where: { id } }));
      await ctx.db.codecDecode.create({
        data: {
          staffKeyId: staff.keyId,
          staffLabel: staff.label,
          staffRole: staff.role,
          namespace: req.header('x-namespace')?.slice(0, 200) ?? null,
          suggestionIds: shown.suggestionIds,
          payloads: decoded.length,
          proposersRevealed: proposerCustodians.includes(staff.role),
        },
      });
      res.setHeader('Cache-Control', 'no-store');
      res.json({ payloads: shown.payloads.map(toJson) });
    },
  );
  registry.add(
    router,
    {
      method: 'post',
      path: '/codec/session',
      summary: 'Signs a staff browser in to the codec endpoint (a cookie the Temporal UI sends along); needs an API key',
      tag: 'codec',
      access: codecRoles,
      responses: {
        200: { description: 'Signed in; the cookie is set', schema: sessionView },
        401: { description: 'No staff credentials', schema: problemDocument },
        403: { description: 'A role without a city-wide view', schema: problemDocument },
        422: { description: 'Signed in with a token, not an API key: the UI can pass the token itself', schema: problemDocument },
      },
    },
    async ({ req, res }) => {
      const staff = req.staff!;
      if ((await ctx.db.apiKey.count({ where: { id: staff.keyId, revokedAt: null } })) === 0) {
        throw new Problem(422, 'api-key-required', 'API key required', 'a codec session is opened with a staff API key');
      }
      const expiresAt = startSession(res, ctx.keys, staff.keyId);
      res.json({ role: staff.role, label: staff.label, expiresAt: expiresAt.toISOString() });
    },
  );

  registry.add(
    router,
    {
      method: 'delete',
      path: '/codec/session',
      summary: 'Signs the browser out of the codec endpoint',
      tag: 'codec',
      access: 'public',
      responses: { 204: { description: 'Signed out' } },
    },
    async ({ res }) => {
      endSession(res);
      res.status(204).end();
    },
  );

  return router;
}

const sessionView = z.object({ role: z.string(), label: z.string(), expiresAt: z.string() });

/**
 * CORS for the Temporal UI's origins, with credentials (the UI can pass the user's access token or
 * cookies). A browser request from any other origin is refused outright.
 */
function allowUiOrigins(origins: readonly string[]): RequestHandler {
  return (req, res, next) => {
    res.vary('Origin');
    const origin = req.header('origin');
    // Not a browser (the CLI, a script), or the API's own sign-in page.
    if (origin === undefined || origin === `${req.protocol}://${req.get('host')}`) return next();
    if (!origins.includes(origin))
      return next(new Problem(403, 'origin-not-allowed', 'Origin not allowed', `the codec endpoint does not serve pages from ${origin}`));
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Access-Control-Allow-Methods', 'POST');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}

function fromJson(p: PayloadJson): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data, 'base64'),
  };
}

function toJson(p: Payload): PayloadJson {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}

const signInPage = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>工作人员登录 · Staff sign-in — Temporal UI</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#111}
input,button{font:inherit;padding:.4rem .6rem}input{width:100%;box-sizing:border-box}button{margin-top:.8rem}</style></head>
<body>
<h1>工作人员登录 <span lang="en">Staff sign-in</span></h1>
<p>登录后，Temporal 界面可解密显示建议人信息（需勾选“Include cross-origin credentials”）。
<span lang="en">Once signed in, the Temporal UI shows workflow data in clear (tick “Include cross-origin credentials” in its codec settings).</span></p>
<form id="sign-in">
<label for="key">API 密钥 <span lang="en">API key</span></label>
<input id="key" name="key" type="password" autocomplete="off" required>
<button type="submit">登录 <span lang="en">Sign in</span></button>
<button type="button" id="sign-out">退出 <span lang="en">Sign out</span></button>
</form>
<p id="status" role="status" aria-live="polite"></p>
<script src="/codec/sign-in.js"></script>
</body></html>`;

const signInScript = `const status = document.getElementById('status');
document.getElementById('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = document.getElementById('key').value.trim();
  const res = await fetch('/codec/session', { method: 'POST', headers: { authorization: 'Bearer ' + key }, credentials: 'same-origin' });
  const body = await res.json();
  status.textContent = res.ok ? '已登录 Signed in: ' + body.label + ' (' + body.role + '), until ' + new Date(body.expiresAt).toLocaleString() : body.title + ': ' + body.detail;
});
document.getElementById('sign-out').addEventListener('click', async () => {
  await fetch('/codec/session', { method: 'DELETE', credentials: 'same-origin' });
  status.textContent = '已退出 Signed out';
});
`;
