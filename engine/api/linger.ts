import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

export interface LingerOptions {
  /** How long the rest of an unread body is read and discarded, ms. */
  ms: number;
  /** How much of it, bytes. */
  bytes: number;
}

/** Enough for a client on a slow link to finish a body several times the API's limit. */
export const LINGER: LingerOptions = { ms: 10_000, bytes: 64 * 1024 * 1024 };

/**
 * nginx's lingering close, for an answer sent before the request body was read (a 413, a
 * 415): closing the socket while the client is still writing makes the kernel reset the
 * connection, and the client may see EPIPE/ECONNRESET instead of the answer. So the answer
 * keeps the connection open (no `Connection: close`), Node reads and discards the rest of
 * the body, and only a client that goes on past the bounds has its socket destroyed. When
 * the client itself asked for `Connection: close`, Node would destroy the socket once the
 * answer is written: that becomes a half-close (FIN after the answer) while the body drains.
 */
export function lingerOverUnreadBody(req: IncomingMessage, o: LingerOptions = LINGER): void {
  if (req.complete || req.destroyed) return;
  const socket = req.socket;
  // An injected request (tests, light-my-request) has no real socket to linger on.
  if (typeof socket?.destroy !== 'function') return;
  let discarded = 0;
  const cut = () => {
    done();
    socket.destroy();
  };
  const onData = (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > o.bytes) cut();
  };
  const timer = setTimeout(cut, o.ms);
  timer.unref();
  const done = () => {
    clearTimeout(timer);
    req.off('data', onData);
    delete (socket as Partial<Socket>).destroySoon;
  };
  // Own property, removed again by done(); the client's own close then ends the socket.
  socket.destroySoon = () => {
    socket.end();
  };
  req.on('data', onData);
  // Node dumps an unconsumed body itself; a parser that stopped reading left it paused.
  req.resume();
  req.once('end', done);
  req.once('close', done);
}
