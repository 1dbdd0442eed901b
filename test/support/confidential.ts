import type { ProposerDetails } from '../../domain/intake';
import { eventually, type Stack } from './stack';

/**
 * Submits a transport suggestion in Yangpu (routed by rule to the transport department) with
 * the given proposer, anonymously as a citizen would, and waits until it is registered and
 * routed: by then the proposer's details have passed through the workflow and its activities.
 */
export async function submitAndAwaitRouting(stack: Stack, proposer: ProposerDetails, title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch(`${stack.baseUrl}/v1/suggestions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      title,
      content: `${title}: residents have asked for this for years, and the street has room for it.`,
      category: 'transport',
      district: 'yangpu',
      proposer,
      ...extra,
    }),
  });
  if (res.status !== 202) throw new Error(`submission refused with ${res.status}: ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  await eventually(async () => (await stack.db.suggestion.findUnique({ where: { id } }))?.status === 'handling', `suggestion ${id} to be routed`);
  return id;
}
