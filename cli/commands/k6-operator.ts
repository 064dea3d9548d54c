/**
 * `hunt k6-operator`: the manifests that run a scenario as distributed load on Kubernetes
 * with k6-operator, from the options `hunt run` takes; `hunt k6-operator import` turns the
 * pods' samples into a results directory for `hunt report`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT, ExitError } from '../../common/exit-codes.ts';
import { UserError } from '../../common/user-error.ts';
import { localDrivers } from '../../drivers/registry.ts';
import {
  cpuCores,
  importOperatorRun,
  memoryMiB,
  type OperatorLoad,
} from '../../run/agents/operator-import.ts';
import { archiveCommand, runArchive } from '../../scenarios/lib-node/k6-archive.ts';
import {
  checkName,
  configMap,
  configMapName,
  DEFAULT_IMAGE,
  type OperatorOptions,
  testRun,
  toYaml,
} from '../../scenarios/lib-node/k6-operator.ts';
import { isLoopback } from '../../stack/config.ts';
import { K6_VERSION, REPO_ROOT } from '../../stack/tools.ts';
import { backendOption, intOption, positiveOption } from '../options.ts';

interface Flags {
  baseUrl?: string;
  allowRemote?: boolean;
  agents: string;
  backend: string;
  scenario: string;
  profile: string;
  seed: string;
  scale: string;
  duration?: string;
  budgets: string;
  name?: string;
  namespace: string;
  image: string;
  resultsClaim: string;
  cpu: string;
  memory: string;
  out?: string;
}

function baseUrlOption(raw: string | undefined, allowRemote: boolean): string {
  if (raw === undefined)
    throw new UserError('--base-url: required: the engine as the pods reach it');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError(`--base-url: expected http(s)://host[:port], got '${raw}'`);
  }
  if (!allowRemote && !isLoopback(url.hostname)) {
    throw new UserError(
      `--base-url: ${url.hostname} is not a loopback address; the pods load it only with --allow-remote`,
    );
  }
  return raw.replace(/\/$/, '');
}

export async function writeManifests(f: Flags): Promise<{ dir: string; load: OperatorLoad }> {
  const allowRemote = f.allowRemote === true;
  const load: OperatorLoad = {
    name: checkName('--name', f.name ?? `hunt-${f.scenario}`.toLowerCase()),
    namespace: checkName('--namespace', f.namespace),
    agents: intOption('--agents', f.agents, 1, 1000),
    backend: backendOption(f.backend, 'local'),
    baseUrl: baseUrlOption(f.baseUrl, allowRemote),
    scenario: f.scenario,
    profile: f.profile,
    seed: intOption('--seed', f.seed, 0, 2 ** 31 - 1),
    scale: positiveOption('--scale', f.scale),
    duration: f.duration ?? null,
    budgetsFile: resolve(REPO_ROOT, f.budgets),
    k6: K6_VERSION,
    cpu: f.cpu,
    memory: f.memory,
  };
  cpuCores(f.cpu);
  memoryMiB(f.memory);
  const o: OperatorOptions = {
    name: load.name,
    namespace: load.namespace,
    parallelism: load.agents,
    image: f.image,
    resultsClaim: checkName('--results-claim', f.resultsClaim),
    cpu: f.cpu,
    memory: f.memory,
  };
  const dir = resolve(f.out ?? join(REPO_ROOT, 'results', 'k6-operator', load.name));
  const tmp = mkdtempSync(join(tmpdir(), 'hunt-archive-'));
  try {
    const archive = join(tmp, 'archive.tar');
    const env = {
      BASE_URL: load.baseUrl,
      ...(allowRemote ? { ALLOW_REMOTE: '1' } : {}),
      SEED: String(load.seed),
      SCALE: String(load.scale),
      PROFILE: load.profile,
      BUDGETS: load.budgetsFile,
      ...(load.duration ? { DURATION: load.duration } : {}),
    };
    await runArchive(archiveCommand({ scenario: f.scenario, env, out: archive }), f.scenario);
    const bytes = readFileSync(archive);
    // A ConfigMap holds at most 1 MiB, base64 included.
    if (Math.ceil(bytes.length / 3) * 4 > 1_000_000) {
      throw new UserError(
        `the k6 archive of ${f.scenario} is ${bytes.length} bytes: too big for a ConfigMap (1 MiB); use a smaller data file`,
      );
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'configmap.yaml'), toYaml(configMap(o, bytes, load)));
    writeFileSync(join(dir, 'testrun.yaml'), toYaml(testRun(o)));
    writeFileSync(join(dir, 'hunt-load.json'), `${JSON.stringify(load, null, 2)}\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { dir, load };
}

export function register(program: Command): void {
  const op = program
    .command('k6-operator')
    .description('distributed load on Kubernetes: the TestRun to run, then its results imported');
  op.command('write', { isDefault: true })
    .description(
      'write a k6-operator TestRun and the ConfigMap of its scenario (the default action)',
    )
    .option('--base-url <url>', 'the engine as the runner pods reach it (required)')
    .option('--allow-remote', 'allow a non-loopback --base-url (a cluster service always is)')
    .option('--agents <n>', 'runner pods; k6-operator gives each an execution segment', '2')
    .option(
      '--backend <name>',
      `${localDrivers()
        .map((d) => d.name)
        .join(' | ')}: what the engine under load uses`,
      'kafka',
    )
    .option(
      '--scenario <name>',
      'k6 scenario: smoke | steady | peak-sale | spike | soak, or a script path',
      'peak-sale',
    )
    .option('--profile <name>', 'rate profile for peak-sale', 'flash-sale')
    .option('--seed <n>', 'data and traffic seed', '1')
    .option('--scale <x>', 'multiply every rate (the whole run, split between the pods)', '1')
    .option('--duration <d>', 'stretch or shrink the scenario to this length, e.g. 90s')
    .option('--budgets <file>', 'latency and error budgets', 'scenarios/budgets.yaml')
    .option('--name <name>', 'TestRun name (default: hunt-<scenario>)')
    .option('--namespace <ns>', 'Kubernetes namespace', 'default')
    .option('--image <image>', 'runner image: the k6 the archive was built with', DEFAULT_IMAGE)
    .option(
      '--results-claim <pvc>',
      'a ReadWriteMany PersistentVolumeClaim the pods write their samples to',
      'hunt-results',
    )
    .option('--cpu <q>', 'CPU per runner pod (request and limit)', '1')
    .option('--memory <q>', 'memory per runner pod (request and limit)', '1Gi')
    .option('--out <dir>', 'where to write (default results/k6-operator/<name>)')
    .addHelpText(
      'after',
      '\nWrites configmap.yaml, testrun.yaml and hunt-load.json; see README, "More load than one machine".',
    )
    .action(async (f: Flags) => {
      const { dir, load } = await writeManifests(f);
      console.log(
        `wrote ${dir}/configmap.yaml (${configMapName(load)}), testrun.yaml (${load.agents} pods)`,
      );
      console.log(`  kubectl apply -f ${dir}/configmap.yaml -f ${dir}/testrun.yaml`);
    });
  op.command('import')
    .description("turn the runner pods' samples files into a results directory for 'hunt report'")
    .argument('<manifests>', "the directory 'hunt k6-operator' wrote (its hunt-load.json)")
    .argument('<samples...>', "the pods' <pod>.csv.gz files, or directories of them")
    .option('--out <dir>', 'results directory (default <manifests>/<name>-<start time>)')
    .action(async (manifestsDir: string, samples: string[], f: { out?: string }) => {
      const r = await importOperatorRun({
        manifestsDir,
        samples,
        ...(f.out ? { out: f.out } : {}),
      });
      for (const pod of r.pods) {
        console.log(
          `  instance ${pod.instance}: ${pod.lines.toLocaleString('en-US')} samples from ${pod.file}`,
        );
      }
      if (r.missing.length > 0) {
        console.log(
          `  MISSING: instance(s) ${r.missing.join(', ')} of ${r.pods.length + r.missing.length}: the run is incomplete and its HTTP figures unknown`,
        );
      }
      console.log(`results: ${r.dir}\n  hunt report ${r.dir} --out ${r.dir}/report`);
      if (r.missing.length > 0)
        throw new ExitError(
          EXIT.incomplete,
          `k6-operator import: ${r.missing.length} pod(s) missing`,
        );
    });
}
