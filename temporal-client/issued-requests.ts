import { randomUUID } from 'node:crypto';
import type { ClientOptions, WorkflowClientInterceptor } from '@temporalio/client';
import { encryptedDataConverter, type KeyRing } from '../codec';

/**
 * Stamps every update and signal a client sends with the workflow and the update it is issued for
 * (workflows/issued-for.ts). Inside the payload, which the codec seals, that is the proof the
 * workflows require: a request read from one history cannot be sent again as another action or
 * to another suggestion, and one sent without the key is refused.
 */
export function issuedRequests(): WorkflowClientInterceptor {
  return {
    async startUpdate(input, next) {
      const updateId = input.options.updateId ?? randomUUID();
      return next({
        ...input,
        args: stamped(input.args, { workflowId: input.workflowExecution.workflowId, updateId }),
        options: { ...input.options, updateId },
      });
    },
    async signal(input, next) {
      return next({ ...input, args: stamped(input.args, { workflowId: input.workflowExecution.workflowId }) });
    },
  };
}

function stamped(args: unknown[], issuedFor: { workflowId: string; updateId?: string }): unknown[] {
  const [first, ...rest] = args;
  if (args.length === 0) return [{ issuedFor }];
  if (first === null || typeof first !== 'object' || Array.isArray(first)) return args;
  return [{ ...first, issuedFor }, ...rest];
}

/** What every client of the suggestion workflows is made with: payloads sealed, requests stamped. */
export function suggestionClientOptions(keys: KeyRing): Pick<ClientOptions, 'dataConverter' | 'interceptors'> {
  return { dataConverter: encryptedDataConverter(keys), interceptors: { workflow: [issuedRequests()] } };
}
