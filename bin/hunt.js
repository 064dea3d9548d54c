#!/usr/bin/env node
// Entry point of the `hunt` CLI. The sources are TypeScript; tsx loads them directly,
// so a fresh clone needs no build step. Plain JS: it may start under an older system Node.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { engines } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const required = Number(/\d+/.exec(engines.node)?.[0]);
const major = Number(process.versions.node.split('.')[0]);

if (major >= required) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
} else {
  reexec();
}

/**
 * Runs this command again under the Node that package.json pins (optionalDependencies
 * node-<platform>-<arch>, linked as node_modules/.bin/node), e.g. when a shell found the
 * system Node first.
 */
function reexec() {
  const pinned = join(root, 'node_modules', '.bin', 'node');
  if (!existsSync(pinned)) {
    console.error(
      `hunt: needs Node ${engines.node}, this is ${process.version} (${process.execPath}); ` +
        "'npm ci' installs it on Linux and Windows x64, elsewhere put one on the PATH",
    );
    process.exit(2);
  }
  const child = spawn(pinned, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  // The child shares our process group: a terminal's Ctrl-C reaches it directly, and a
  // second copy would read as "stop at once". Signals sent to this pid alone are passed on.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      if (sig !== 'SIGINT' || !process.stdin.isTTY) child.kill(sig);
    });
  }
  child.on('error', (err) => {
    console.error(`hunt: cannot start ${pinned}: ${err.message}`);
    process.exit(2);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else {
      process.exit(code ?? 1);
    }
  });
}
