/** How long-running verbs (`hunt engine`, `hunt fulfillment`) end on SIGTERM/SIGINT. */
import { EXIT } from '../common/exit-codes.ts';

/** Waits for SIGTERM/SIGINT, runs `stop`, and exits; a second signal exits at once. */
export function untilSignal(stop: () => Promise<void>): Promise<never> {
  return new Promise(() => {
    let stopping = false;
    const onSignal = (sig: NodeJS.Signals) => {
      if (stopping) process.exit(EXIT.failed);
      stopping = true;
      stop().then(
        () => process.exit(EXIT.ok),
        (e: Error) => {
          console.error(`hunt: stop after ${sig} failed: ${e.message}`);
          process.exit(EXIT.failed);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
