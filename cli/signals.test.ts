import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../common/exit-codes.ts';
import { onStopSignals, type SignalSource } from './signals.ts';

/** A stand-in for `process` that only carries signals the test emits. */
function source() {
  const e = new EventEmitter();
  const s: SignalSource = {
    on: (ev, l) => e.on(ev, l),
    off: (ev, l) => e.off(ev, l),
  };
  return {
    s,
    emit: (sig: NodeJS.Signals) => e.emit(sig, sig),
    count: () => e.listenerCount('SIGINT'),
  };
}

describe('stop signals', () => {
  it('the first asks to stop cleanly, a second of either kind exits at once with 130', () => {
    const { s, emit } = source();
    const first: string[] = [];
    const exits: number[] = [];
    onStopSignals(
      (sig) => first.push(sig),
      s,
      (c) => exits.push(c),
    );
    emit('SIGTERM');
    expect(first).toEqual(['SIGTERM']);
    expect(exits).toEqual([]);
    emit('SIGINT');
    expect(first).toEqual(['SIGTERM']);
    expect(exits).toEqual([EXIT.interrupted]);
  });

  it('the remover stops listening', () => {
    const { s, count } = source();
    const dispose = onStopSignals(
      () => {},
      s,
      () => {},
    );
    expect(count()).toBe(1);
    dispose();
    expect(count()).toBe(0);
  });
});
