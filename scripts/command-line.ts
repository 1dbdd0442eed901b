// What the staff command-line tools share: exit 2 with a message for a wrong invocation, 1 for a
// failure, otherwise the code the command returns.

export function fail(message: string): number {
  console.error(message);
  return 2;
}

export function runCommand(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
