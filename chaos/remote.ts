/**
 * Which plan steps can run when the run's broker is a real, remote service. The harness
 * owns only what runs here: the fulfillment service and its proxy, the engine. A managed
 * broker's processes, its network path and its quotas are not the harness's to touch, and a
 * toxic on a local proxy the engine does not go through would be a fault that never lands.
 */
import { type Plan, resolveStep } from './plan.ts';
import { OWN_PROCESSES, OWN_PROXIES, type RunTargets, TargetError } from './targets.ts';

const own = (names: readonly string[], target: string) => names.includes(target);

/** Why a step cannot run against a remote broker; null when it can. */
export function remoteRefusal(plan: Plan, index: number, run: RunTargets): string | null {
  const step = resolveStep(plan, plan.steps[index]!, run);
  const where = `plan ${plan.name} steps[${index}] (${step.key} ${step.target})`;
  switch (step.key) {
    case 'kill':
      return own(OWN_PROCESSES, step.target)
        ? null
        : `${where}: cannot kill ${step.target} of a remote target: its processes are not the harness's`;
    case 'toxic':
    case 'disable':
      return own(OWN_PROXIES, step.target)
        ? null
        : `${where}: the engine reaches a remote target directly, not through the ${step.target} proxy`;
    case 'quota':
      return `${where}: quotas of a remote target are its own (a plan's quotas act on the local stack only)`;
    default:
      return null;
  }
}

/** Throws on the first step a remote target refuses: before anything starts. */
export function assertRemotePlan(plan: Plan, run: RunTargets): void {
  for (const s of plan.steps) {
    const why = remoteRefusal(plan, s.index, run);
    if (why) throw new TargetError(`--target: ${why}`);
  }
}
