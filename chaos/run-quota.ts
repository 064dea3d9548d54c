/**
 * The Kinesis quota a whole run turns on (`hunt run --kinesis-quota`), journaled like a plan's
 * quota step: a run killed before it could turn it off leaves an entry, and the next run (or
 * chaos runner) turns it back off. Before setting its own, a run undoes every leftover of a
 * killed one (quotas, lying mode, killed processes).
 */
import { journalFile, type Paths, type Ports } from '../stack/config.ts';
import type { FaultContext, QuotaSetting } from './faults/types.ts';
import { Journal } from './journal.ts';
import { stackProcessControl, stackQuotaControl } from './stack-control.ts';

const RUN = 'run';

/** Undoes what killed runs and runners left in force on this stack. */
export async function recoverLeftovers(
  paths: Paths,
  ports: Ports,
  log: (line: string) => void,
): Promise<void> {
  const ctx = (target: string): FaultContext => ({
    step: -1,
    target,
    // Toxics are not journaled (a runner's POST /reset removes them).
    toxiproxy: undefined as never,
    processes: stackProcessControl(paths, ports),
    quotas: stackQuotaControl(paths, ports),
  });
  await new Journal(journalFile(paths.state)).recover((e) => ctx(e.target), log);
}

/** Turns the run's Kinesis quota on after undoing leftovers; answers how to turn it off. */
export async function holdRunQuota(
  paths: Paths,
  ports: Ports,
  setting: QuotaSetting,
  log: (line: string) => void,
): Promise<() => Promise<void>> {
  await recoverLeftovers(paths, ports, log);
  const journal = new Journal(journalFile(paths.state));
  const quotas = stackQuotaControl(paths, ports);
  const previous = await quotas.set('kinesis', setting);
  journal.add(RUN, 'quota', 'kinesis', previous);
  return async () => {
    await quotas.set('kinesis', previous);
    journal.remove(RUN);
  };
}
