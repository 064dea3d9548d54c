// k6 provides console (logged through its logger) but @types/k6 does not declare it, and
// the scenarios' tsconfig deliberately leaves out the DOM and Node typings that would.
declare global {
  const console: {
    log(...args: unknown[]): void;
    info(...args: unknown[]): void;
    warn(...args: unknown[]): void;
    error(...args: unknown[]): void;
  };
}

export {};
