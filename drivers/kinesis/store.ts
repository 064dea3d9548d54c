/**
 * A plan that kills kinesalite needs its streams on disk: killed in memory, they would be
 * gone after the restart, and the run would count an emulator artifact as lost events.
 */
import { type Plan, resolveStep } from '../../chaos/plan.ts';
import type { BrokerTargets, RunTargets } from '../../chaos/targets.ts';
import type { StackInfo } from '../../stack/stack.ts';
import { type KinesisStore, storeOf } from './kinesalite.ts';

/** Whether the plan, on a run of this broker, kills kinesalite. */
export function killsKinesalite(plan: Plan, broker: BrokerTargets): boolean {
  const run: RunTargets = { backend: broker.backend, broker };
  return plan.steps.some(
    (s) => s.key === 'kill' && resolveStep(plan, s, run).target === 'kinesalite',
  );
}

export function kinesisStoreFor(plan: Plan, broker: BrokerTargets): KinesisStore {
  return killsKinesalite(plan, broker) ? 'disk' : 'memory';
}

/** Why the running stack cannot carry out the plan faithfully; null when it can. */
export function storeMisfit(plan: Plan, broker: BrokerTargets, stack: StackInfo): string | null {
  if (!killsKinesalite(plan, broker) || storeOf(stack.options) === 'disk') return null;
  return (
    `plan ${plan.name} kills kinesalite, whose streams are in memory in the running stack and ` +
    `would be lost on restart; take it down and run 'hunt stack up --kinesis-store disk', ` +
    `or let the run start its own stack`
  );
}
