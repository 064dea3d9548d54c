/**
 * `k6 archive`: a scenario with every setting fixed (`-e`) in one tar that any k6 of the same
 * version runs as is, on a runner pod or another host. k6 runs the script's init code to
 * build it, so a bad setting fails here, with k6's own message, not on the pods or hosts.
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { UserError } from '../../common/user-error.ts';
import { REPO_ROOT } from '../../stack/tools.ts';
import {
  findK6,
  type K6Command,
  type ScenarioEnv,
  scenarioEnvArgs,
  scenarioPath,
} from './run-k6.ts';

/** The `k6 archive` command line of a scenario with its settings, into `out`. */
export function archiveCommand(p: {
  scenario: string;
  env: ScenarioEnv;
  out: string;
  k6?: string;
}): K6Command {
  return {
    bin: p.k6 ?? findK6(),
    args: [
      'archive',
      '--include-system-env-vars=false',
      '-O',
      p.out,
      ...scenarioEnvArgs(p.env),
      scenarioPath(p.scenario),
    ],
    env: { K6_NO_USAGE_REPORT: 'true' },
  };
}

/** Runs an archive command; a failure is k6's own message, in one line. */
export async function runArchive(cmd: K6Command, scenario: string): Promise<void> {
  const r = await execa(cmd.bin, cmd.args, {
    cwd: join(REPO_ROOT, 'scenarios'),
    env: cmd.env,
    stdin: 'ignore',
    reject: false,
  });
  if (r.exitCode === 0) return;
  // k6 logs `level=error msg="..."`; the message is what the user needs.
  const lines = `${r.stderr}\n${r.stdout}`.split('\n').filter((l) => l.trim() !== '');
  const msg = lines.map((l) => /msg="((?:[^"\\]|\\.)*)"/.exec(l)?.[1]).find(Boolean);
  // Its first line, without the JavaScript stack k6 appends.
  const why = msg?.split('\\n')[0]?.replace(/^\w*Error: /, '');
  throw new UserError(
    `k6 archive of ${scenario} failed: ${why ?? lines.at(-1) ?? `exit ${r.exitCode}`}`,
  );
}
