/**
 * `hunt k6-operator import`: the runner pods' samples files become a results directory, each
 * pod's file as agents/agent-<i>/k6-samples.csv.gz (i = its instance_id - 1, the tag
 * k6-operator puts on every sample), with a run.json built from the hunt-load.json the
 * manifests were written with. The engine ran outside the harness: run.json says so, and
 * everything only the harness measures (backlog, delivery, the audit) is left unknown.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../common/user-error.ts';
import { fieldAt, forEachK6Line, parseTimestampS, tagValue } from '../../contract/k6-samples.ts';
import { RESULTS } from '../../contract/layout.ts';
import { type RunManifest, SCHEMA_VERSION } from '../../contract/schema.ts';
import { gitCommit } from '../manifest.ts';

export const OperatorLoad = z.strictObject({
  name: z.string(),
  namespace: z.string(),
  agents: z.number().int().positive(),
  backend: z.string().min(1),
  baseUrl: z.string(),
  scenario: z.string(),
  profile: z.string(),
  seed: z.number().int(),
  scale: z.number().positive(),
  duration: z.string().nullable(),
  budgetsFile: z.string(),
  k6: z.string(),
  cpu: z.string(),
  memory: z.string(),
});
export type OperatorLoad = z.infer<typeof OperatorLoad>;

export const LOAD_FILE = 'hunt-load.json';

/** A Kubernetes CPU quantity ("1", "1.5", "500m") in cores. */
export function cpuCores(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(q);
  if (!m || Number(m[1]) <= 0)
    throw new UserError(`--cpu: expected a quantity such as 1, 1.5 or 500m, got '${q}'`);
  return Number(m[1]) / (m[2] ? 1000 : 1);
}

const MEMORY_UNITS: Record<string, number> = {
  Ki: 1 / 1024,
  Mi: 1,
  Gi: 1024,
  Ti: 1024 ** 2,
  K: 1e3 / 2 ** 20,
  M: 1e6 / 2 ** 20,
  G: 1e9 / 2 ** 20,
  T: 1e12 / 2 ** 20,
};

/** A Kubernetes memory quantity ("512Mi", "1Gi", "1G") in MiB. */
export function memoryMiB(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)$/.exec(q);
  if (!m || Number(m[1]) <= 0)
    throw new UserError(`--memory: expected a quantity such as 512Mi or 1Gi, got '${q}'`);
  return Number(m[1]) * MEMORY_UNITS[m[2]!]!;
}

export function readOperatorLoad(manifestsDir: string): OperatorLoad {
  const file = join(manifestsDir, LOAD_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`${file}: ${(e as Error).message} (written by 'hunt k6-operator')`);
  }
  const parsed = OperatorLoad.safeParse(raw);
  if (!parsed.success) throw new UserError(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** What one pod's samples file holds. */
export interface PodSamples {
  file: string;
  /** k6-operator's instance_id tag: 1..parallelism. */
  instance: number;
  lines: number;
  firstS: number;
  lastS: number;
}

export async function scanPodSamples(file: string): Promise<PodSamples> {
  let instance: number | null = null;
  let lines = 0;
  let firstS = Number.POSITIVE_INFINITY;
  let lastS = Number.NEGATIVE_INFINITY;
  await forEachK6Line(file, (buf, start, end, cols) => {
    lines++;
    const t = parseTimestampS(fieldAt(buf, start, end, cols.timestamp!));
    if (Number.isFinite(t)) {
      firstS = Math.min(firstS, t);
      lastS = Math.max(lastS, t);
    }
    if (instance === null && cols.extra_tags !== undefined) {
      // Cheap: the tag is on every line; read it from the first that has extra tags.
      const id = tagValue(fieldAt(buf, start, end, cols.extra_tags), 'instance_id');
      if (id !== undefined) instance = Number(id);
    }
  }).catch((e: Error) => {
    throw new UserError(`${file}: not a k6 CSV samples file: ${e.message}`);
  });
  if (instance === null || !Number.isInteger(instance) || instance < 1) {
    throw new UserError(
      `${file}: no instance_id tag on its samples; only a k6-operator runner's file can be imported`,
    );
  }
  if (lines === 0) throw new UserError(`${file}: holds no samples`);
  return { file, instance, lines, firstS, lastS };
}

/** Files named, and the *.csv.gz files of directories named. */
export function expandSampleFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) throw new UserError(`${p}: no such file or directory`);
    if (statSync(p).isDirectory()) {
      const inDir = readdirSync(p)
        .filter((n) => n.endsWith('.csv.gz'))
        .sort()
        .map((n) => join(p, n));
      if (inDir.length === 0) throw new UserError(`${p}: no .csv.gz samples files in it`);
      files.push(...inDir);
    } else files.push(p);
  }
  return files.map((f) => resolve(f));
}

export interface ImportedRun {
  dir: string;
  manifest: RunManifest;
  pods: PodSamples[];
  /** Instances (1-based) whose file was not among those given. */
  missing: number[];
}

const stamp = (s: number) =>
  new Date(s * 1000).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');

export async function importOperatorRun(p: {
  manifestsDir: string;
  samples: string[];
  out?: string;
}): Promise<ImportedRun> {
  const load = readOperatorLoad(p.manifestsDir);
  const pods = await Promise.all(expandSampleFiles(p.samples).map(scanPodSamples));
  const byInstance = new Map<number, PodSamples>();
  for (const pod of pods) {
    if (pod.instance > load.agents) {
      throw new UserError(
        `${pod.file}: instance_id ${pod.instance}, but the TestRun had ${load.agents} pods`,
      );
    }
    const twin = byInstance.get(pod.instance);
    if (twin) {
      throw new UserError(
        `${pod.file} and ${twin.file} are both instance_id ${pod.instance}; give each pod's file once`,
      );
    }
    byInstance.set(pod.instance, pod);
  }
  const missing = Array.from({ length: load.agents }, (_, i) => i + 1).filter(
    (i) => !byInstance.has(i),
  );
  const firstS = Math.min(...pods.map((x) => x.firstS));
  const lastS = Math.max(...pods.map((x) => x.lastS));
  const runId = `${load.name}-${stamp(firstS)}`;
  const dir = resolve(p.out ?? join(p.manifestsDir, runId));
  for (const pod of pods) {
    const agentDir = join(dir, 'agents', `agent-${pod.instance - 1}`);
    mkdirSync(agentDir, { recursive: true });
    copyFileSync(pod.file, join(agentDir, RESULTS.k6Samples));
  }
  const manifest: RunManifest = {
    schema: SCHEMA_VERSION,
    runId,
    backend: load.backend,
    scenario: load.scenario,
    plan: 'none',
    profile: load.profile,
    seed: load.seed,
    scale: load.scale,
    emulation: {},
    versions: { k6: load.k6 },
    // Where the load ran: the pods' limits; their load average is not known here.
    machine: {
      cores: Math.max(1, Math.ceil(load.agents * cpuCores(load.cpu))),
      memoryMiB: Math.round(load.agents * memoryMiB(load.memory)),
      loadAvg1m: null,
      platform: `k6-operator: ${load.agents} runner pods (cpu ${load.cpu}, memory ${load.memory} each)`,
    },
    gitCommit: await gitCommit(),
    startedAt: new Date(firstS * 1000).toISOString(),
    endedAt: new Date(lastS * 1000).toISOString(),
    // A pod whose samples are missing: the load is not all there.
    complete: missing.length === 0,
    // The pods, by instance: their names are their samples files'.
    agents: {
      count: load.agents,
      hosts: Array.from({ length: load.agents }, (_, i) => {
        const pod = byInstance.get(i + 1);
        return pod ? basename(pod.file).replace(/\.csv\.gz$/, '') : 'missing';
      }),
      command: 'k6-operator',
    },
    load: {
      kind: 'k6-operator',
      engine: `outside the harness, at ${load.baseUrl}`,
      agents: load.agents,
      namespace: load.namespace,
      missingAgents: missing.map((i) => i - 1),
    },
  };
  Object.assign(manifest, {
    budgetsFile: load.budgetsFile,
    duration: load.duration,
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, RESULTS.run), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, manifest, pods, missing };
}
