/**
 * The live status line of a run: elapsed/total, target and achieved rate, p99 of the last
 * 10 s, backlog, breaker states, DLQ count and active faults. On a terminal it rewrites one
 * line every second; in CI logs (no TTY) it prints a plain line every few seconds.
 */
import type { TimelinePoint } from '../contract/schema.ts';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const msText = (n: unknown) =>
  typeof n === 'number' ? `${n < 10 ? n.toFixed(1) : int(n)}ms` : '-';

export function statusLine(p: TimelinePoint, totalS: number, phase: string): string {
  const breakers = Object.entries(p.breakers)
    .map(([name, state]) => `${name}=${state}`)
    .join(' ');
  const parts = [
    `[${phase} ${int(p.t)}/${int(totalS)}s]`,
    `target ${p.targetRps === null ? '-' : `${int(p.targetRps)}/s`}`,
    `achieved ${int(Number(p.requestsPerS ?? 0))}/s (accepted ${int(p.acceptedPerS)}/s)`,
    `p99(10s) ${msText(p.httpP99Last10s)}`,
    `backlog ${int(p.backlog)}`,
    breakers && `breakers ${breakers}`,
    `dlq ${int(p.dlqTotal)}`,
    p.alerts.length > 0 && `ALERTS ${p.alerts.join(',')}`,
    p.faults.length > 0 && `faults: ${p.faults.join('; ')}`,
  ];
  return parts.filter(Boolean).join(' | ');
}

export class Progress {
  private lastPlainAt = Number.NEGATIVE_INFINITY;
  private onLine = false;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly plainEveryS = 5,
  ) {}

  update(p: TimelinePoint, totalS: number, phase: string): void {
    const line = statusLine(p, totalS, phase);
    if (this.out.isTTY) {
      const width = this.out.columns ?? 160;
      this.out.write(`\r\x1b[2K${line.slice(0, width - 1)}`);
      this.onLine = true;
    } else if (p.t - this.lastPlainAt >= this.plainEveryS) {
      this.out.write(`${line}\n`);
      this.lastPlainAt = p.t;
    }
  }

  /** A plain message, printed on its own line even while the status line is shown. */
  log(message: string): void {
    if (this.onLine) this.out.write('\n');
    this.onLine = false;
    this.out.write(`${message}\n`);
  }

  done(): void {
    if (this.onLine) this.out.write('\n');
    this.onLine = false;
  }
}
