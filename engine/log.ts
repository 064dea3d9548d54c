/** One JSON object per line on stderr; tests pass their own `Log` to collect or silence. */
export type Log = (msg: string, fields?: Record<string, unknown>) => void;

export function jsonLog(component: string, out: NodeJS.WritableStream = process.stderr): Log {
  return (msg, fields) => {
    out.write(`${JSON.stringify({ t: new Date().toISOString(), component, msg, ...fields })}\n`);
  };
}

export const silentLog: Log = () => {};
