/**
 * `hunt capacity`: for each configuration of a matrix, the burst's scale raised until the
 * criterion breaks (analysis/capacity-search.ts), each step one `hunt run` on the lane's
 * stack; then capacity.json, the report and each configuration's knee.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkLoadGenerator } from '../analysis/bottleneck.ts';
import { brokenSymptoms, type Criterion, kneeOf, stepFigures } from '../analysis/capacity.ts';
import { type SearchSettings, searchKnee } from '../analysis/capacity-search.ts';
import { EXIT } from '../common/exit-codes.ts';
import {
  type CapacityConfiguration,
  CapacityRecord,
  type CapacityStep,
} from '../contract/capacity.ts';
import { RESULTS } from '../contract/layout.ts';
import { driverOf } from '../drivers/registry.ts';
import { writeCapacityReport } from '../reports/capacity.ts';
import { readTimeline } from '../reports/timeline.ts';
import type { Paths } from '../stack/config.ts';
import { readStackInfo } from '../stack/stack.ts';
import { type CompareOptions, inLanes, LaneProgress } from './compare.ts';
import { type Cell, cellDir, type MatrixSpec } from './matrix-spec.ts';
import { newRunId, type RunResult, runOnce } from './run.ts';
import { runTopic } from './run-prepare.ts';

export interface CapacityOptions extends Omit<CompareOptions, 'matrix'> {
  /** Backends × designs; `repeat` is ignored (the search's `repeats` confirms the knee). */
  matrix: MatrixSpec;
  search: SearchSettings;
  criterion: Criterion;
  /** The fidelity profile's name, for the record. */
  fidelityName: string;
}

export interface CapacityResult {
  dir: string;
  record: CapacityRecord;
  report: string;
  exitCode: number;
}

const fmt = (n: number | null) => (n === null ? '?' : Math.round(n).toLocaleString('en-US'));

/** The configuration's name: `kafka · naive`, as compare names its rows. */
const nameOf = (cell: Cell, design: string | null) =>
  `${cell.backend} · ${cell.design?.name ?? design ?? 'unknown'}`;

export async function capacity(o: CapacityOptions): Promise<CapacityResult> {
  const startedAt = new Date().toISOString();
  mkdirSync(o.out, { recursive: true });
  const designs = o.matrix.designs.length > 0 ? o.matrix.designs : [null];
  const cells: Cell[] = o.matrix.backends.flatMap((backend) =>
    designs.map((design) => ({ backend, design })),
  );
  const lanes = o.lanes && o.lanes.length > 0 ? o.lanes : [o.paths];
  const ids = new Set<string>();
  const done = await inLanes(
    cells,
    lanes.map((paths, i) => ({
      paths,
      progress: lanes.length > 1 ? new LaneProgress(`[${i + 1}] `) : o.progress,
    })),
    (cell, lane) => searchCell(o, cell, lane, ids),
    () => o.signal.aborted,
  );
  const configurations = done.filter((c) => c !== undefined);
  const record = capacityRecord(o, configurations, {
    complete: !o.signal.aborted && configurations.length === cells.length,
    startedAt,
  });
  writeFileSync(join(o.out, RESULTS.capacity), `${JSON.stringify(record, null, 2)}\n`);
  const report = writeCapacityReport(record, o.out);
  return {
    dir: o.out,
    record,
    report,
    exitCode: o.signal.aborted ? EXIT.interrupted : EXIT.ok,
  };
}

/** capacity.json, checked against its schema before it is written. */
export function capacityRecord(
  o: Pick<
    CapacityOptions,
    | 'scenario'
    | 'profile'
    | 'plan'
    | 'fidelityName'
    | 'duration'
    | 'poisonRate'
    | 'criterion'
    | 'search'
  >,
  configurations: CapacityConfiguration[],
  at: { complete: boolean; startedAt: string },
): CapacityRecord {
  // The scenario's peak per unit of scale, from the runs' own offered peaks (their median).
  const perScale = configurations
    .flatMap((c) => c.steps)
    .flatMap((s) => (s.figures.offeredPeakRps === null ? [] : [s.figures.offeredPeakRps / s.scale]))
    .sort((a, b) => a - b);
  const { start, ...search } = o.search;
  return CapacityRecord.parse({
    schema: 1,
    scenario: o.scenario,
    profile: o.profile,
    plan: o.plan.name,
    fidelity: o.fidelityName,
    duration: o.duration ?? null,
    poisonRate: o.poisonRate ?? null,
    criterion: o.criterion,
    search: { startScale: start, ...search },
    peakRpsPerScale:
      perScale.length > 0 ? Math.round(perScale[Math.floor(perScale.length / 2)]!) : null,
    configurations,
    complete: at.complete,
    startedAt: at.startedAt,
    endedAt: new Date().toISOString(),
  });
}

/** One configuration's search, every step on the lane's stack, one after another. */
async function searchCell(
  o: CapacityOptions,
  cell: Cell,
  lane: { paths: Paths; progress: CapacityOptions['progress'] },
  ids: Set<string>,
): Promise<CapacityConfiguration> {
  const steps: CapacityStep[] = [];
  let design: string | null = cell.design?.name ?? null;
  const say = (line: string) => lane.progress.log(`[capacity] ${line}`);
  const outcome = await searchKnee(o.search, async (scale, phase) => {
    if (o.signal.aborted) return null;
    const n = steps.length + 1;
    let runId = newRunId(cell.backend, o.scenario, o.plan.name);
    // Two lanes can start the same backend in the same second.
    for (let k = 2; ids.has(runId); k++)
      runId = `${newRunId(cell.backend, o.scenario, o.plan.name)}-${k}`;
    ids.add(runId);
    say(`${nameOf(cell, design)}: step ${n} (${phase}) at scale ${scale}`);
    const run = await runOnce({
      ...o,
      paths: lane.paths,
      progress: lane.progress,
      backend: cell.backend,
      scale,
      engineSettings: { ...o.engineSettings, ...cell.design?.settings },
      runId,
      ...(cell.design ? { configuration: cell.design.name } : {}),
      out: join(o.out, cellDir(cell, 1, 1), `${String(n).padStart(2, '0')}-x${scale}`),
    });
    // An interrupted run measured nothing the search may use.
    if (o.signal.aborted) return null;
    design ??= run.summary?.design ?? null;
    const step = await judgedStep(o, cell, lane.paths, run, runId, { scale, phase });
    steps.push(step);
    say(
      `${nameOf(cell, design)}: step ${n} scale ${scale}, offered peak ${fmt(step.figures.offeredPeakRps)}/s: ` +
        (step.held ? 'held' : `broke (${step.broken.join(', ')})`),
    );
    return step.held;
  });
  const name = nameOf(cell, design);
  const knee = kneeOf(name, steps, outcome, o.criterion);
  say(knee.sentence);
  const statedCapacity = steps[0] ? capacityLine(steps[0].dir) : null;
  return { name, backend: cell.backend, design, statedCapacity, steps, knee };
}

/** run.json's offeredPeakRps; null when the run did not record it. */
function manifestPeak(dir: string): number | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, RESULTS.run), 'utf8')) as Record<string, unknown>;
    return typeof m.offeredPeakRps === 'number' ? m.offeredPeakRps : null;
  } catch {
    return null;
  }
}

/** run.json's stated capacity line (fidelity.capacity.line); null when it states none. */
function capacityLine(dir: string): string | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, RESULTS.run), 'utf8')) as {
      fidelity?: { capacity?: { line?: unknown } };
    };
    const line = m.fidelity?.capacity?.line;
    return typeof line === 'string' ? line : null;
  } catch {
    return null;
  }
}

async function judgedStep(
  o: CapacityOptions,
  cell: Cell,
  paths: Paths,
  run: RunResult,
  runId: string,
  at: Pick<CapacityStep, 'scale' | 'phase'>,
): Promise<CapacityStep> {
  const points = await readTimeline(join(run.dir, RESULTS.timeline)).catch(() => []);
  const local = driverOf(cell.backend).local;
  const stack = readStackInfo(paths);
  // The stand-in's own count of what it refused; read while the lane's stack is still up.
  const quotaThrottled =
    local?.throttledWrites && stack
      ? await local.throttledWrites({ paths, ports: stack.ports, stack }, runTopic(runId))
      : null;
  const figures = stepFigures({
    summary: run.summary,
    offeredPeakRps: manifestPeak(run.dir),
    points,
    k6: checkLoadGenerator(run.dir),
    quotaThrottled,
  });
  const broken = brokenSymptoms(figures, o.criterion);
  return {
    ...at,
    figures,
    held: broken.length === 0,
    broken,
    exitCode: run.exitCode,
    dir: run.dir,
  };
}
