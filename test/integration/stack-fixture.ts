/**
 * The private stack (system/private-stack.ts) under the names the tests use, and the `hunt`
 * CLI as a user runs it.
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { driverOf } from '../../drivers/registry.ts';
import { REPO_ROOT } from '../../stack/tools.ts';

export {
  freePortOffset,
  type PrivateStack as TestStack,
  privateStackEnv as testEnv,
  startPrivateStack as startTestStack,
} from '../../system/private-stack.ts';

/** The `hunt` CLI as a user runs it, pointed at a stack by `env`; never throws on exit codes. */
export function hunt(args: string[], env: Record<string, string>) {
  return execa(process.execPath, [join(REPO_ROOT, 'bin', 'hunt.js'), ...args], {
    env: { ...process.env, ...env },
    reject: false,
    stdin: 'ignore',
  });
}

/** The stack components one broker's tests need: its stand-in and Toxiproxy, no other JVM. */
export const componentsOf = (backend: string): string[] => [
  ...(driverOf(backend).local?.components.map((c) => c.name) ?? []),
  'toxiproxy',
];
