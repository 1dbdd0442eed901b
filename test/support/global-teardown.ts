interface Stoppable {
  stop(): Promise<void>;
}

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as Record<string, unknown>).__suggestionChainStack as
    { postgres?: Stoppable; temporal?: Stoppable; objectStore?: Stoppable } | undefined;
  await Promise.all([stack?.temporal?.stop(), stack?.postgres?.stop(), stack?.objectStore?.stop()]);
}
