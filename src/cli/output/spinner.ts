// A spinner for operations that wait (SDR fetch, power cycle --wait, fan-out), shown only on
// an interactive stderr and never with --json. ora is imported lazily: it is the slowest of
// our dependencies to load and most runs never need it.

export interface Spinner {
  text(t: string): void;
  succeed(t?: string): void;
  fail(t?: string): void;
  stop(): void;
}

const noop: Spinner = { text() {}, succeed() {}, fail() {}, stop() {} };

/**
 * A terminal that reports no width (e.g. a pty nobody sized) makes ora's line counting divide by
 * zero and clear lines forever, so such a terminal gets no spinner either.
 */
export function spinnerAllowed(): boolean {
  return process.stderr.isTTY === true && (process.stderr.columns ?? 0) > 0;
}

export async function startSpinner(text: string, opts: { enabled: boolean }): Promise<Spinner> {
  if (!opts.enabled || !spinnerAllowed()) return noop;
  const { default: ora } = await import('ora');
  // discardStdin off: `exec -` reads the command file from stdin.
  const s = ora({ text, stream: process.stderr, discardStdin: false }).start();
  return {
    text: (t) => void (s.text = t),
    succeed: (t) => void s.succeed(t),
    fail: (t) => void s.fail(t),
    stop: () => void s.stop(),
  };
}
