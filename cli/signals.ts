/**
 * How every verb ends on SIGINT/SIGTERM, one behaviour for all: the first signal asks the
 * verb to stop cleanly; a second one exits at once with EXIT.interrupted.
 */
import { EXIT, ExitError } from '../common/exit-codes.ts';

/** What the handlers need of `process`: injectable so that a test sends no real signal. */
export interface SignalSource {
  on(event: NodeJS.Signals, listener: (sig: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (sig: NodeJS.Signals) => void): unknown;
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * Calls `onFirst` on the first SIGINT/SIGTERM; a second one prints a line and exits at once
 * (what was not undone yet is left to the next run or `hunt stack down`). Returns a remover.
 */
export function onStopSignals(
  onFirst: (sig: NodeJS.Signals) => void,
  source: SignalSource = process,
  exitNow: (code: number) => void = (code) => process.exit(code),
): () => void {
  let received = false;
  const handler = (sig: NodeJS.Signals) => {
    if (received) {
      console.error(`hunt: second ${sig}: exiting now, without cleaning up`);
      exitNow(EXIT.interrupted);
      return;
    }
    received = true;
    onFirst(sig);
  };
  for (const s of STOP_SIGNALS) source.on(s, handler);
  return () => {
    for (const s of STOP_SIGNALS) source.off(s, handler);
  };
}

/** A long-running service (`hunt engine`, `hunt fulfillment`): runs until a stop signal, then stops. */
export async function untilSignal(stop: () => Promise<void>): Promise<void> {
  const sig = await new Promise<NodeJS.Signals>((resolve) => onStopSignals(resolve));
  try {
    await stop();
  } catch (e) {
    throw new ExitError(EXIT.failed, `stop after ${sig} failed: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** An AbortSignal aborted by the first SIGINT/SIGTERM, after `say` tells what happens next. */
export function abortOnStopSignals(say: (sig: NodeJS.Signals) => void): AbortSignal {
  const controller = new AbortController();
  onStopSignals((sig) => {
    say(sig);
    controller.abort();
  });
  return controller.signal;
}
