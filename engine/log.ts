import { redactText } from './secrets.ts';

/** One JSON object per line on stderr; tests pass their own `Log` to collect or silence. */
export type Log = (msg: string, fields?: Record<string, unknown>) => void;

/** `secrets`: values (a password, a webhook URL) never written, wherever they turn up in a line. */
export function jsonLog(
  component: string,
  out: NodeJS.WritableStream = process.stderr,
  secrets: string[] = [],
): Log {
  return (msg, fields) => {
    const line = JSON.stringify({ t: new Date().toISOString(), component, msg, ...fields });
    out.write(`${secrets.length > 0 ? redactText(line, secrets) : line}\n`);
  };
}

export const silentLog: Log = () => {};
