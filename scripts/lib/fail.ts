/**
 * Start-up failures end with one sentence that names the fix, not a stack trace. Scripts throw
 * `Fatal`; `runMain` prints its message and exits 1. Anything else is a bug and keeps its stack.
 */
export class Fatal extends Error {
  override name = 'Fatal';
}

export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof Fatal) {
      console.error(`\n✖ ${err.message}\n`);
    } else {
      console.error(err);
    }
    process.exit(1);
  });
}
