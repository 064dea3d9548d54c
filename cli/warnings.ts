/**
 * Node's warnings as Node prints them, less one: kafkajs's request queue arms its throttle
 * timer with a negative delay when it is not throttled (`throttledUntil - Date.now()`), which
 * Node has always run as 1 ms and, since Node 23, also reports as a TimeoutNegativeWarning on
 * stderr: noise in front of the one line a failure is meant to be. Every other warning,
 * the AWS SDK's included, is printed as before.
 */
const HARMLESS = new Set(['TimeoutNegativeWarning']);

export function printWarningsExceptHarmless(): void {
  // None listening: Node was told not to print warnings (--no-warnings); leave it so.
  if (process.listenerCount('warning') === 0) return;
  process.removeAllListeners('warning');
  process.on('warning', (w: Error & { code?: string }) => {
    if (HARMLESS.has(w.name)) return;
    const code = w.code ? `[${w.code}] ` : '';
    process.stderr.write(`(node:${process.pid}) ${code}${w.name}: ${w.message}\n`);
  });
}
