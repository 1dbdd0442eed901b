// Imported first by the development identity provider: two warnings oidc-provider prints at
// start-up are expected here and only alarm a developer. Node 20 is the project's runtime (the
// library's v9 asks for 22 but runs on 20.20); its in-memory store is what a development
// provider wants (a restart signs everyone out of it, not out of the workbench's own sessions).
const expected = [/^oidc-provider WARNING: Unsupported runtime/, /^oidc-provider WARNING: a quick start development-only in-memory adapter/];
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && expected.some((e) => e.test(args[0] as string))) return;
  warn(...args);
};
