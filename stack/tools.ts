/**
 * Pinned tools, installed into the cache outside the repo by `hunt setup`.
 * Each tool lives in a directory named by its version, so a pin change installs beside the
 * old one and an existing directory with its completion marker means "already installed".
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Paths } from './config.ts';

export const K6_VERSION = 'v2.2.0';
export const TOXIPROXY_VERSION = 'v2.12.0';
export const KAFKA_VERSION = '4.1.2';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export interface ToolPaths {
  k6: string;
  toxiproxyServer: string;
  toxiproxyCli: string;
  /** Directory of the broker's jars; the classpath is `<dir>/*`. */
  kafkaLibs: string;
  kinesaliteCli: string;
}

export type ToolDirs = ReturnType<typeof toolDirs>;

export function toolDirs(paths: Paths) {
  return {
    k6: join(paths.cache, `k6-${K6_VERSION}`),
    toxiproxy: join(paths.cache, `toxiproxy-${TOXIPROXY_VERSION}`),
    kafka: join(paths.cache, `kafka-${KAFKA_VERSION}`),
  };
}

export function toolPaths(paths: Paths): ToolPaths {
  const dirs = toolDirs(paths);
  return {
    k6: join(dirs.k6, 'k6'),
    toxiproxyServer: join(dirs.toxiproxy, 'toxiproxy-server'),
    toxiproxyCli: join(dirs.toxiproxy, 'toxiproxy-cli'),
    kafkaLibs: join(dirs.kafka, 'libs'),
    kinesaliteCli: require.resolve('kinesalite/cli.js'),
  };
}

/** Written last by each install step: a directory without it is a partial install. */
export const COMPLETE_MARKER = '.complete';

export function isInstalled(dir: string): boolean {
  return existsSync(join(dir, COMPLETE_MARKER));
}

export function kinesaliteVersion(): string {
  const pkg = JSON.parse(readFileSync(require.resolve('kinesalite/package.json'), 'utf8'));
  return String(pkg.version);
}
