/** `hunt balancer`: one address in front of several engine instances (`hunt run --producers`). */
import type { Command } from 'commander';
import { UserError } from '../../common/user-error.ts';
import { startBalancer } from '../../engine/balancer/server.ts';
import { HOST, isLoopback } from '../../stack/config.ts';
import { intOption } from '../options.ts';
import { untilSignal } from '../signals.ts';

export function register(program: Command): void {
  program
    .command('balancer')
    .description(
      'forward every request to the next of several engine instances (a load balancer in front of them)',
    )
    .option('--host <host>', 'address to listen on', HOST)
    .requiredOption('--port <n>', 'port to listen on')
    .requiredOption('--upstream <url...>', "each instance's base URL, e.g. http://127.0.0.1:40001")
    .option('--instance <id>', 'a name /balancer/healthz echoes, to tell this balancer apart')
    .option('--allow-remote', 'allow upstreams outside 127.0.0.0/8')
    .action(async (opts: Record<string, string | string[] | boolean | undefined>) => {
      const port = intOption('--port', String(opts.port), 0, 65_535);
      const upstreams = (opts.upstream as string[]).map(upstreamOf);
      const remote = upstreams.filter((u) => !isLoopback(new URL(u).hostname));
      if (remote.length > 0 && !opts.allowRemote)
        throw new UserError(
          `--upstream: ${remote.join(', ')} is outside 127.0.0.0/8; pass --allow-remote to name it explicitly`,
        );
      const host = String(opts.host ?? HOST);
      const app = await startBalancer({
        host,
        port,
        upstreams,
        ...(typeof opts.instance === 'string' ? { instance: opts.instance } : {}),
      });
      console.error(
        JSON.stringify({ component: 'balancer', msg: 'listening', host, port, upstreams }),
      );
      await untilSignal(() => app.close());
    });
}

function upstreamOf(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UserError(`--upstream: expected a URL such as http://127.0.0.1:40001, got '${raw}'`);
  }
  if (u.protocol !== 'http:' || (u.pathname !== '/' && u.pathname !== ''))
    throw new UserError(`--upstream: expected an http:// base URL without a path, got '${raw}'`);
  return u.origin;
}
