/**
 * A plan that kills kinesalite needs its streams on disk: killed in memory, they would be
 * gone after the restart, and the run would count an emulator artifact as lost events.
 */

import { type Plan, resolveStep } from '../../chaos/plan.ts';
import { UserError } from '../../common/user-error.ts';
import type { KinesisStore } from '../../stack/components/types.ts';
import type { Paths } from '../../stack/config.ts';
import { readStackInfo } from '../../stack/stack.ts';

export function kinesisStoreFor(plan: Plan, backend: 'kafka' | 'kinesis'): KinesisStore {
  if (backend !== 'kinesis') return 'memory';
  const kills = plan.steps.some(
    (s) => s.key === 'kill' && resolveStep(plan, s, backend).target === 'kinesalite',
  );
  return kills ? 'disk' : 'memory';
}

/** Refuses, before anything starts, a plan the running stack cannot carry out faithfully. */
export function assertStackFits(plan: Plan, backends: ('kafka' | 'kinesis')[], paths: Paths): void {
  const info = readStackInfo(paths);
  if (!info) return; // the run brings its own stack up, with the store it needs
  const needsDisk = backends.some((b) => kinesisStoreFor(plan, b) === 'disk');
  if (needsDisk && info.kinesisStore !== 'disk') {
    throw new UserError(
      `plan ${plan.name} kills kinesalite, whose streams are in memory in the running stack and ` +
        `would be lost on restart; take it down and run 'hunt stack up --kinesis-store disk', ` +
        `or let the run start its own stack`,
    );
  }
}
