/** `hunt doctor`: each tool's version and path; any missing tool fails the check. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { execa } from 'execa';
import type { Paths } from './config.ts';
import {
  isInstalled,
  KAFKA_VERSION,
  kinesaliteVersion,
  REPO_ROOT,
  toolDirs,
  toolPaths,
} from './tools.ts';

export interface ToolCheck {
  tool: string;
  ok: boolean;
  version: string | null;
  path: string | null;
  /** Required to run the harness, or only to install tools with `hunt setup`. */
  role: 'runtime' | 'setup';
}

async function probe(cmd: string, args: string[], pattern: RegExp): Promise<string | null> {
  try {
    const { stdout, stderr } = await execa(cmd, args, { stdin: 'ignore', timeout: 15_000 });
    return stripVTControlCharacters(`${stdout}\n${stderr}`).match(pattern)?.[1] ?? null;
  } catch {
    return null;
  }
}

async function which(cmd: string): Promise<string | null> {
  try {
    return (await execa('sh', ['-c', `command -v ${cmd}`])).stdout.trim() || null;
  } catch {
    return null;
  }
}

/** The lowest Node major package.json's `engines` supports (bin/hunt.js reads the same). */
export function supportedNodeMajor(): number {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
  return Number(/\d+/.exec(String(pkg.engines?.node))?.[0]);
}

/** The Node running the harness: the one its children (engine, fulfillment, ...) run on too. */
export function nodeCheck(version = process.versions.node, path = process.execPath): ToolCheck {
  const ok = Number(version.split('.')[0]) >= supportedNodeMajor();
  return { tool: 'node', ok, version, path, role: 'runtime' };
}

export async function doctor(paths: Paths): Promise<ToolCheck[]> {
  const tools = toolPaths(paths);
  const dirs = toolDirs(paths);
  const installed = (dir: string, file: string) =>
    isInstalled(dir) && existsSync(file) ? file : null;
  const binary = async (
    tool: string,
    file: string | null,
    args: string[],
    pattern: RegExp,
    role: ToolCheck['role'] = 'runtime',
  ): Promise<ToolCheck> => {
    const version = file ? await probe(file, args, pattern) : null;
    return { tool, ok: version !== null, version, path: file, role };
  };
  const kafkaJar = join(tools.kafkaLibs, `kafka_2.13-${KAFKA_VERSION}.jar`);
  return Promise.all([
    Promise.resolve(nodeCheck()),
    binary('java', await which('java'), ['-version'], /version "([^"]+)"/),
    binary('k6', installed(dirs.k6, tools.k6), ['version'], /k6 (v\S+)/),
    binary(
      'toxiproxy-server',
      installed(dirs.toxiproxy, tools.toxiproxyServer),
      ['-version'],
      /version (\S+)/,
    ),
    binary(
      'toxiproxy-cli',
      installed(dirs.toxiproxy, tools.toxiproxyCli),
      ['--version'],
      /version (\S+)/,
    ),
    Promise.resolve<ToolCheck>({
      tool: 'kafka',
      ok: installed(dirs.kafka, kafkaJar) !== null,
      version: installed(dirs.kafka, kafkaJar) ? KAFKA_VERSION : null,
      path: tools.kafkaLibs,
      role: 'runtime',
    }),
    Promise.resolve<ToolCheck>({
      tool: 'kinesalite',
      ok: true,
      version: kinesaliteVersion(),
      path: tools.kinesaliteCli,
      role: 'runtime',
    }),
    binary('go', await which('go'), ['version'], /go version go(\S+)/, 'setup'),
    binary('mvn', await which('mvn'), ['-v'], /Apache Maven (\S+)/, 'setup'),
  ]);
}

/** Setup-only tools matter only while a runtime tool is missing. */
export function doctorPasses(checks: ToolCheck[]): boolean {
  const runtimeOk = checks.filter((c) => c.role === 'runtime').every((c) => c.ok);
  return runtimeOk;
}
