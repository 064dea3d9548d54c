/**
 * Which plan steps can run when the run's broker is a real, remote service. The harness
 * owns only what runs here: the fulfillment service and its proxy, the engine. A managed
 * broker's processes, its network path and its quotas are not the harness's to touch, and a
 * toxic on a local proxy the engine does not go through would be a fault that never lands.
 */
import type { Backend } from '../contract/schema.ts';
import { type Plan, resolveStep } from './plan.ts';
import { TargetError } from './targets.ts';

/** Processes and proxies the harness runs itself, also beside a remote broker. */
const OWN_PROCESSES = ['engine', 'fulfillment'];
const OWN_PROXIES = ['downstream'];

/** Why a step cannot run against a remote broker; null when it can. */
export function remoteRefusal(plan: Plan, index: number, backend: Backend): string | null {
  const step = resolveStep(plan, plan.steps[index]!, backend);
  const where = `plan ${plan.name} steps[${index}] (${step.key} ${step.target})`;
  switch (step.key) {
    case 'kill':
      return OWN_PROCESSES.includes(step.target)
        ? null
        : `${where}: cannot kill ${step.target} of a remote target: its processes are not the harness's`;
    case 'toxic':
    case 'disable':
      return OWN_PROXIES.includes(step.target)
        ? null
        : `${where}: the engine reaches a remote target directly, not through the ${step.target} proxy`;
    case 'quota':
      return `${where}: quotas of a remote target are its own (the Kinesis quota layer and Kafka client quotas act on the local stack only)`;
    default:
      return null;
  }
}

/** Throws on the first step a remote target refuses: before anything starts. */
export function assertRemotePlan(plan: Plan, backend: Backend): void {
  for (const s of plan.steps) {
    const why = remoteRefusal(plan, s.index, backend);
    if (why) throw new TargetError(`--target: ${why}`);
  }
}
