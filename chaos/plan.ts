/**
 * Chaos plans: YAML timelines of faults (see chaos/plans/README.md). Parsed with zod strict
 * objects, so an unknown key is an error; every error names the file, line, step and field.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { UserError } from '../common/user-error.ts';
import { Duration } from './duration.ts';
import { FAULT_KEYS, FAULTS, type FaultKey } from './faults/index.ts';
import type { FaultKind } from './faults/types.ts';
import type { RunTargets, TargetCatalogue } from './targets.ts';

/** The plan file's schema: names of proxies, processes and quotas are the catalogue's. */
function planFile(c: TargetCatalogue) {
  const stepShape = Object.fromEntries(
    FAULT_KEYS.map((k) => [k, (FAULTS[k] as FaultKind).schema(c).optional()]),
  );
  const Step = z
    .strictObject({
      /** Seconds after the run's start. */
      at: Duration,
      /** How long the fault lasts; without it, until the plan ends. */
      for: Duration.optional(),
      note: z.string().optional(),
      ...stepShape,
    })
    .superRefine((step, ctx) => {
      const kinds = FAULT_KEYS.filter((k) => (step as Record<string, unknown>)[k] !== undefined);
      if (kinds.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          message:
            kinds.length === 0
              ? `needs one fault: one of ${FAULT_KEYS.join(', ')}`
              : `has ${kinds.join(' and ')}: one fault per step`,
        });
      }
    });
  return z.strictObject({
    description: z.string().min(1),
    /** Plan length in seconds; default: the end of its last step. */
    duration: Duration.optional(),
    steps: z.array(Step),
  });
}

export interface PlanStep {
  index: number;
  at: number;
  for: number | null;
  note?: string;
  key: FaultKey;
  spec: unknown;
}

export interface Plan {
  name: string;
  file: string;
  description: string;
  /** Seconds; open-ended steps (no `for`) end here. */
  duration: number;
  steps: PlanStep[];
}

export interface PlanIssue {
  line?: number;
  path: string;
  message: string;
}

export class PlanError extends UserError {
  override name = 'PlanError';
  constructor(
    readonly file: string,
    readonly issues: PlanIssue[],
  ) {
    super(
      issues
        .map(
          (i) => `${file}${i.line ? `:${i.line}` : ''}: ${i.path ? `${i.path}: ` : ''}${i.message}`,
        )
        .join('\n'),
    );
  }
}

/** `['steps', 2, 'toxic', 'attributes']` -> `steps[2].toxic.attributes`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/**
 * A plan file, checked against every broker a plan may name (`catalogue`: each driver's
 * stand-in, system/chaos.ts's PLAN_TARGETS), overlaps included for each of them.
 */
export function loadPlan(file: string, catalogue: TargetCatalogue): Plan {
  return parsePlan(readFileSync(file, 'utf8'), file, catalogue);
}

export function parsePlan(text: string, file: string, catalogue: TargetCatalogue): Plan {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new PlanError(
      file,
      doc.errors.map((e) => ({ line: lines.linePos(e.pos[0]).line, path: '', message: e.message })),
    );
  }
  const lineOf = (path: PropertyKey[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number] } | undefined;
      if (node?.range) return lines.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const parsed = planFile(catalogue).safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw new PlanError(
      file,
      parsed.error.issues.map((issue) => {
        const path = [...issue.path];
        let message = issue.message;
        if (issue.code === 'unrecognized_keys') {
          path.push(issue.keys[0]!);
          message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
        }
        return { line: lineOf(path), path: formatPath(path), message };
      }),
    );
  }
  const steps: PlanStep[] = parsed.data.steps.map((s, index) => {
    const key = FAULT_KEYS.find((k) => (s as Record<string, unknown>)[k] !== undefined)!;
    const step: PlanStep = { index, at: s.at, for: s.for ?? null, key, spec: (s as never)[key] };
    if (s.note !== undefined) step.note = s.note;
    return step;
  });
  const end = Math.max(0, ...steps.map((s) => s.at + (s.for ?? 0)));
  const duration = parsed.data.duration ?? end;
  const issues: PlanIssue[] = [];
  for (const s of steps) {
    if (s.at + (s.for ?? 0) > duration) {
      issues.push({
        line: lineOf(['steps', s.index, 'at']),
        path: `steps[${s.index}]`,
        message: `ends at ${s.at + (s.for ?? 0)}s, after the plan's duration ${duration}s`,
      });
    }
  }
  const plan: Plan = {
    name: basename(file, extname(file)),
    file,
    description: parsed.data.description,
    duration,
    steps,
  };
  for (const broker of catalogue) {
    for (const issue of overlapIssues(plan, { backend: broker.backend, broker })) {
      issues.push({ ...issue, line: lineOf(issue.path === '' ? [] : ['steps', issue.step]) });
    }
  }
  if (issues.length > 0) throw new PlanError(file, dedupe(issues));
  return plan;
}

export interface ResolvedStep extends PlanStep {
  fault: FaultKind;
  kind: string;
  target: string;
  label: string;
  /** The window's end in seconds after the start (the plan's end for open-ended steps). */
  until: number;
}

/** Targets resolved for a run (`broker` -> the run's broker). Throws TargetError. */
export function resolveStep(plan: Plan, step: PlanStep, run: RunTargets): ResolvedStep {
  const fault = FAULTS[step.key] as FaultKind;
  const target = fault.target(step.spec, run);
  return {
    ...step,
    fault,
    kind: fault.kind(step.spec),
    target,
    label: fault.describe(step.spec, target),
    until: step.for === null ? plan.duration : step.at + step.for,
  };
}

function overlapIssues(plan: Plan, run: RunTargets): (PlanIssue & { step: number })[] {
  const out: (PlanIssue & { step: number })[] = [];
  const backend = run.backend;
  const resolved = plan.steps
    .map((s) => resolveStep(plan, s, run))
    .filter((s) => s.fault.exclusive);
  for (const [i, a] of resolved.entries()) {
    for (const b of resolved.slice(i + 1)) {
      if (a.key !== b.key || a.target !== b.target) continue;
      if (a.at < b.until && b.at < a.until) {
        out.push({
          step: b.index,
          path: `steps[${b.index}]`,
          message: `${b.key} on ${b.target} overlaps steps[${a.index}] (${a.at}s-${a.until}s) for a ${backend} run; windows of one ${b.key} on one target may not overlap`,
        });
      }
    }
  }
  return out;
}

function dedupe(issues: PlanIssue[]): PlanIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}|${i.message.replace(/ for a \w+ run/, '')}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
