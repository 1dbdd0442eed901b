import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as SchemaEngineWasm from '@prisma/schema-engine-wasm';
import { hostGlobal, importEsm, resolveNative } from './host-modules';

export type SchemaEngineModule = typeof SchemaEngineWasm;
export type { SchemaEngine, MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm';

// The package is generated for bundlers (`import * as wasm from "./schema_engine_bg.wasm"`), which
// Node cannot load; so the glue module is loaded on its own and handed an instance made here.
const GLUE = '@prisma/schema-engine-wasm/schema_engine_bg';

// Declared here because the project compiles against ES2022 without DOM typings.
interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<object>;
  Instance: new (module: object, imports: Record<string, object>) => { exports: Record<string, unknown> };
}

let loading: Promise<SchemaEngineModule> | undefined;

/** The Prisma schema engine compiled to WebAssembly: migrations without the native engine download. */
export function loadSchemaEngine(): Promise<SchemaEngineModule> {
  loading ??= instantiate().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

async function instantiate(): Promise<SchemaEngineModule> {
  const glue = await importEsm<SchemaEngineModule & Record<string, unknown>>(GLUE);
  installPanicRegistry();
  // The glue module is cached by the host's Node, not by us: under Jest every test file
  // re-evaluates this file while the glue keeps its instance, and a second instance would orphan
  // engines created by the first.
  if (isInstantiated(glue)) return glue;
  // The host's WebAssembly, like the glue's: the instance outlives the Jest sandbox that made it.
  const wasmApi = hostGlobal().WebAssembly as WebAssemblyApi;
  const wasmFile = join(dirname(resolveNative(GLUE)), 'schema_engine_bg.wasm');
  const module = await wasmApi.compile(readFileSync(wasmFile));
  const instance = new wasmApi.Instance(module, { './schema_engine_bg.js': withUnrefTimers(glue) });
  (glue.__wbg_set_wasm as (exports: Record<string, unknown>) => void)(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue;
}

/**
 * The engine guards operations with timeouts (e.g. 10 s for the migration advisory lock) and
 * never clears them when the operation finishes first, so every command would keep Node — a
 * CLI, a Jest run — alive for ten more seconds. Unref'd, a timer still fires while the engine
 * works (its sockets keep the process alive) but no longer holds the process open afterwards.
 */
function withUnrefTimers(glue: Record<string, unknown>): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...glue };
  for (const name of Object.keys(imports).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
    const original = imports[name] as (...args: unknown[]) => unknown;
    imports[name] = (...args: unknown[]) => {
      const timer = original(...args) as { unref?: () => void } | undefined;
      timer?.unref?.();
      return timer;
    };
  }
  return imports;
}

function isInstantiated(glue: SchemaEngineModule): boolean {
  try {
    glue.version();
    return true;
  } catch {
    return false;
  }
}

/**
 * On a Rust panic the glue writes the message to `global.PRISMA_WASM_PANIC_REGISTRY` — Node's
 * real global, which under Jest is not the test's `globalThis`. Without it a panic surfaces as
 * "cannot read properties of undefined" instead of the engine's message.
 */
function installPanicRegistry(): void {
  const realGlobal = hostGlobal();
  if (realGlobal.PRISMA_WASM_PANIC_REGISTRY) return;
  let message = '';
  realGlobal.PRISMA_WASM_PANIC_REGISTRY = {
    get: () => message,
    set_message: (value: string) => {
      message = `RuntimeError: ${value}`;
    },
  };
}
