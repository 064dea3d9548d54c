import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

/**
 * uuidv7 ids from a pool of random bytes: uuid's own generator asks the OS for 16 bytes per
 * id (a getrandom call each, a few % of the engine's CPU per event); one fill serves 256 ids.
 * The millisecond and counter are kept here as uuid keeps them, so ids stay time-ordered.
 */
const POOL = Buffer.alloc(16 * 256);
let at = POOL.length;
const state = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };

export function newEventId(now = Date.now()): string {
  if (at + 16 > POOL.length) {
    randomFillSync(POOL);
    at = 0;
  }
  const random = POOL.subarray(at, at + 16);
  at += 16;
  if (now > state.msecs) {
    // A fresh 31-bit counter per millisecond, as uuid seeds it from the random bytes.
    state.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
    state.msecs = now;
  } else {
    state.seq = (state.seq + 1) | 0;
    if (state.seq === 0) state.msecs++;
  }
  return v7({ random, msecs: state.msecs, seq: state.seq });
}
