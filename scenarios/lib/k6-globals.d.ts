// k6 provides console (logged through its logger) and WebCrypto's crypto, but @types/k6
// declares neither, and the scenarios' tsconfig deliberately leaves out the DOM and Node
// typings that would.
declare global {
  const console: {
    log(...args: unknown[]): void;
    info(...args: unknown[]): void;
    warn(...args: unknown[]): void;
    error(...args: unknown[]): void;
  };
  const crypto: { randomUUID(): string };
}

export {};
