/**
 * `hunt setup`: installs the pinned tools into the cache, idempotently, one progress line
 * per step. Everything comes from the package registries: k6 and Toxiproxy are built from
 * the Go module proxy, the Kafka broker is resolved from Maven Central.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { UserError } from '../common/user-error.ts';
import type { Paths } from './config.ts';
import {
  COMPLETE_MARKER,
  isInstalled,
  K6_VERSION,
  KAFKA_VERSION,
  kinesaliteVersion,
  REPO_ROOT,
  TOXIPROXY_VERSION,
  toolDirs,
} from './tools.ts';

export class SetupError extends UserError {
  override name = 'SetupError';
}

type Log = (line: string) => void;

interface Step {
  name: string;
  dir: string;
  needs: string[];
  install(dir: string, run: Runner): Promise<void>;
}

type Runner = (
  cmd: string,
  args: string[],
  opts?: { cwd?: string; env?: NodeJS.ProcessEnv },
) => Promise<void>;

const PREREQUISITES: Record<string, { args: string[]; why: string }> = {
  go: { args: ['version'], why: 'builds k6 and Toxiproxy from the Go module proxy' },
  java: { args: ['-version'], why: 'runs the Kafka broker (Java 17 or newer)' },
  mvn: { args: ['-v'], why: 'resolves the Kafka broker jars from Maven Central' },
};

function steps(paths: Paths): Step[] {
  const dirs = toolDirs(paths);
  return [
    {
      name: `k6 ${K6_VERSION}`,
      dir: dirs.k6,
      needs: ['go'],
      // `go install go.k6.io/k6/v2@version` also looks the module's deprecation up in its
      // version list, which the proxy does not serve for k6/v2; a pinned go.mod builds the
      // same module and version without that lookup.
      async install(dir, run) {
        const build = join(dir, 'build');
        mkdirSync(build, { recursive: true });
        writeFileSync(join(build, 'go.mod'), 'module hunt-harness/k6build\n\ngo 1.23\n');
        writeFileSync(
          join(build, 'tools.go'),
          '//go:build tools\n\npackage tools\n\nimport _ "go.k6.io/k6/v2"\n',
        );
        const env = { ...process.env, GOFLAGS: '-mod=mod' };
        await run('go', ['get', `go.k6.io/k6/v2@${K6_VERSION}`], { cwd: build, env });
        await run('go', ['build', '-o', join(dir, 'k6'), 'go.k6.io/k6/v2'], { cwd: build, env });
      },
    },
    {
      name: `toxiproxy ${TOXIPROXY_VERSION}`,
      dir: dirs.toxiproxy,
      needs: ['go'],
      async install(dir, run) {
        const gobin = join(dir, 'gobin');
        const version = `-ldflags=-X github.com/Shopify/toxiproxy/v2.Version=${TOXIPROXY_VERSION.slice(1)}`;
        for (const [cmd, as] of [
          ['server', 'toxiproxy-server'],
          ['cli', 'toxiproxy-cli'],
        ] as const) {
          const pkg = `github.com/Shopify/toxiproxy/v2/cmd/${cmd}@${TOXIPROXY_VERSION}`;
          await run('go', ['install', version, pkg], { env: { ...process.env, GOBIN: gobin } });
          renameSync(join(gobin, cmd), join(dir, as));
        }
        rmSync(gobin, { recursive: true, force: true });
      },
    },
    {
      name: `kafka ${KAFKA_VERSION}`,
      dir: dirs.kafka,
      needs: ['java', 'mvn'],
      async install(dir, run) {
        const pom = join(REPO_ROOT, 'drivers', 'kafka', 'pom.xml');
        await run('mvn', [
          '-B',
          '-q',
          '-f',
          pom,
          'dependency:copy-dependencies',
          '-DincludeScope=runtime',
          `-Dkafka.version=${KAFKA_VERSION}`,
          `-DoutputDirectory=${join(dir, 'libs')}`,
        ]);
      },
    },
  ];
}

export async function checkPrerequisite(cmd: string): Promise<boolean> {
  try {
    await execa(cmd, PREREQUISITES[cmd]?.args ?? ['--version']);
    return true;
  } catch {
    return false;
  }
}

export async function setup(paths: Paths, log: Log, opts: { quiet?: boolean } = {}): Promise<void> {
  const say = (line: string) => log(`[setup] ${line}`);
  const all = steps(paths);
  const missing = all.filter((s) => !isInstalled(s.dir));
  for (const need of new Set(missing.flatMap((s) => s.needs))) {
    if (!(await checkPrerequisite(need))) {
      throw new SetupError(
        `prerequisite '${need}' was not found on PATH; it ${PREREQUISITES[need]?.why}. ` +
          `Install it and run 'hunt setup' again.`,
      );
    }
  }
  for (const step of all) {
    if (!missing.includes(step)) {
      if (!opts.quiet) say(`${step.name}: cached in ${step.dir}`);
      continue;
    }
    say(`${step.name}: installing into ${step.dir} ...`);
    const started = Date.now();
    rmSync(step.dir, { recursive: true, force: true });
    mkdirSync(step.dir, { recursive: true });
    const logFile = join(step.dir, 'install.log');
    await step.install(step.dir, runner(logFile, step.name));
    writeFileSync(join(step.dir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
    say(`${step.name}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  for (const t of DEBIAN_TOOLS) await ensureDebianTool(t, say, opts.quiet === true);
  if (!opts.quiet) say(`kinesalite ${kinesaliteVersion()}: npm dependency`);
}

const onPath = async (cmd: string) =>
  (await execa('sh', ['-c', `command -v ${cmd}`], { reject: false })).exitCode === 0;

/** A tool the integration group runs that comes from a Debian package, not from a pinned download. */
interface DebianTool {
  cmd: string;
  pkg: string;
  /** What needs it, said when it cannot be installed. */
  neededBy: string;
}

/**
 * Prometheus's `promtool` (the alert-rules test) is no Go module one can build quickly, and
 * the report's browser checks drive Chromium through playwright-core, which downloads no
 * browser: both come from Debian's packages.
 */
const DEBIAN_TOOLS: DebianTool[] = [
  { cmd: 'promtool', pkg: 'prometheus', neededBy: 'the alert-rules test' },
  { cmd: 'chromium', pkg: 'chromium', neededBy: "the report's browser checks" },
];

/**
 * Installs a Debian tool as root with apt-get (what CI and a fresh machine here are).
 * Elsewhere it is named, not installed: the test that needs it then fails, saying how.
 */
async function ensureDebianTool(t: DebianTool, say: Log, quiet: boolean): Promise<void> {
  if (await onPath(t.cmd)) {
    if (!quiet) say(`${t.cmd}: on PATH`);
    return;
  }
  const root = process.getuid?.() === 0;
  if (!root || !(await onPath('apt-get'))) {
    say(`${t.cmd}: not on PATH (Debian: 'apt-get install ${t.pkg}'); ${t.neededBy} needs it`);
    return;
  }
  say(`${t.cmd}: installing Debian's ${t.pkg} package with apt-get ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    execa('apt-get', ['install', '-y', '--no-install-recommends', t.pkg], {
      env,
      reject: false,
      stdin: 'ignore',
    });
  // A fresh machine's package lists may be empty: refresh them once and try again.
  if ((await install()).exitCode !== 0) {
    await execa('apt-get', ['update'], { env, reject: false, stdin: 'ignore' });
    const second = await install();
    if (second.exitCode !== 0)
      throw new SetupError(`${t.cmd}: apt-get install ${t.pkg} failed:\n${second.stderr}`);
  }
  say(`${t.cmd}: installed`);
}

function runner(logFile: string, step: string): Runner {
  return async (cmd, args, opts = {}) => {
    const result = await execa(cmd, args, {
      cwd: opts.cwd,
      env: opts.env,
      all: true,
      reject: false,
      stdin: 'ignore',
    });
    writeFileSync(logFile, `$ ${cmd} ${args.join(' ')}\n${result.all ?? ''}\n`, { flag: 'a' });
    if (result.exitCode !== 0) {
      const tail = (result.all ?? '').split('\n').slice(-15).join('\n');
      throw new SetupError(
        `${step}: '${cmd} ${args.join(' ')}' failed (exit ${result.exitCode}); log: ${logFile}\n${tail}`,
      );
    }
  };
}
