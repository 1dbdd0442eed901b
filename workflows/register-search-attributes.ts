import type { Connection } from '@temporalio/client';
import { allSearchAttributes } from './search-attributes';

// temporal.api.enums.v1.IndexedValueType
const indexedValueType = { KEYWORD: 2, BOOL: 5, DATETIME: 6 } as const;

/**
 * Registers the suggestion search attributes on a Temporal server that lacks them (a cluster,
 * or a test server); attributes already there are left alone. A server that cannot list its
 * attributes (the time-skipping test server) gets all of them added.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const known = await knownSearchAttributes(connection, namespace);
  const missing = allSearchAttributes.filter((k) => !known.has(k.name));
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((k) => [k.name, indexedValueType[k.type as keyof typeof indexedValueType]])),
  });
  return missing.map((k) => k.name);
}

async function knownSearchAttributes(connection: Connection, namespace: string): Promise<Set<string>> {
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    return new Set(Object.keys(existing.customAttributes ?? {}));
  } catch (err) {
    if (/unimplemented/i.test(String(err))) return new Set();
    throw err;
  }
}
