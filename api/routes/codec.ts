import express, { Router, type RequestHandler } from 'express';
import type { Payload } from '@temporalio/common';
import { z } from 'zod';
import { EncryptionCodec } from '../../codec';
import type { StaffRole } from '../../domain/vocabulary';
import { identifyStaff } from '../auth';
import type { ApiContext } from '../context';
import type { EndpointRegistry } from '../endpoint';
import { Problem } from '../problem';
import { problemDocument } from '../schemas';

// The codec endpoint the Temporal Web UI (and `temporal --codec-endpoint`) calls to show staff the
// workflows' encrypted payloads in clear. Only staff with a city-wide view may read them: anyone
// else, including the UI without a signed-in user, gets a refusal and sees ciphertext.

/** Decoding shows every proposer's details, so only roles that oversee all suggestions may. */
export const codecRoles: StaffRole[] = ['office', 'supervisor', 'admin'];

// temporal.api.common.v1.Payloads in protobuf's JSON form: bytes as base64.
const payloadJson = z.object({
  metadata: z.record(z.string(), z.base64()).default({}),
  data: z.base64().default(''),
});
const payloadsJson = z.object({ payloads: z.array(payloadJson).max(1000) });
type PayloadJson = z.output<typeof payloadJson>;

export function codecRoutes(ctx: ApiContext, registry: EndpointRegistry): Router {
  const router = Router();
  const codec = new EncryptionCodec(ctx.keys);
  // Own body limit: a workflow's input or state can exceed what the rest of the API accepts.
  router.use('/codec', allowUiOrigins(ctx.codecOrigins ?? []), express.json({ limit: '4mb' }), identifyStaff(ctx.db));

  for (const operation of ['decode', 'encode'] as const) {
    registry.add(
      router,
      {
        method: 'post',
        path: `/codec/${operation}`,
        summary:
          operation === 'decode'
            ? 'Temporal codec endpoint: decrypts payloads for the Temporal Web UI or CLI (staff only)'
            : 'Temporal codec endpoint: encrypts payloads the Temporal Web UI or CLI sends (staff only)',
        tag: 'codec',
        access: codecRoles,
        body: payloadsJson,
        responses: {
          200: { description: `The payloads, ${operation}d`, schema: payloadsJson },
          401: { description: 'No staff credentials', schema: problemDocument },
          403: { description: 'A role without a city-wide view, or a browser origin that is not the Temporal UI', schema: problemDocument },
          422: { description: 'A payload cannot be decrypted (unknown key or tampered data)', schema: problemDocument },
        },
      },
      async ({ body, res }) => {
        const payloads = body.payloads.map(fromJson);
        let converted: Payload[];
        try {
          converted = operation === 'decode' ? await codec.decode(payloads) : await codec.encode(payloads);
        } catch (err) {
          throw new Problem(422, 'undecodable-payload', 'Payload cannot be decrypted', (err as Error).message);
        }
        res.json({ payloads: converted.map(toJson) });
      },
    );
  }
  return router;
}

/**
 * CORS for the Temporal UI's origins, with credentials (the UI can pass the user's access token or
 * cookies). A browser request from any other origin is refused outright.
 */
function allowUiOrigins(origins: readonly string[]): RequestHandler {
  return (req, res, next) => {
    res.vary('Origin');
    const origin = req.header('origin');
    if (origin === undefined) return next(); // not a browser: the CLI, a script
    if (!origins.includes(origin)) return next(new Problem(403, 'origin-not-allowed', 'Origin not allowed', `the codec endpoint does not serve pages from ${origin}`));
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
