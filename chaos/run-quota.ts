/**
 * What a run leaves on a stack it did not start, and how the next run cleans it: the Kinesis
 * quota and service model a whole run sets (`hunt run --kinesis-quota`, `--fidelity`) are
 * journaled like a plan's quota step, so a run killed before it could undo them leaves an
 * entry that the next run (or chaos runner) undoes, with the plan's quotas, lying mode and kills.
 */
import { journalFile, type Paths, type Ports } from '../stack/config.ts';
import { stopStrays } from '../stack/stack.ts';
import type { FaultContext, QuotaSetting } from './faults/types.ts';
import { Journal } from './journal.ts';
import {
  stackDownstreamControl,
  stackProcessControl,
  stackQuotaControl,
  toxiproxyUrl,
} from './stack-control.ts';
import { toxiproxyApi } from './toxiproxy.ts';

const RUN = 'run';

/**
 * Undoes what killed runs and runners left on this stack: their engine, fulfillment service
 * and k6, their toxics and disabled proxies, and the quotas, lying mode and kills in force.
 */
export async function clearLeftovers(
  paths: Paths,
  ports: Ports,
  log: (line: string) => void,
): Promise<void> {
  await stopStrays(paths, log);
  await toxiproxyApi(toxiproxyUrl(ports)).reset();
  await recoverJournal(paths, ports, log);
}

async function recoverJournal(
  paths: Paths,
  ports: Ports,
  log: (line: string) => void,
): Promise<void> {
  const ctx = (target: string): FaultContext => ({
    step: -1,
    target,
    toxiproxy: toxiproxyApi(toxiproxyUrl(ports)),
    processes: stackProcessControl(paths, ports),
    quotas: stackQuotaControl(paths, ports),
    downstream: stackDownstreamControl(ports),
  });
  await new Journal(journalFile(paths.state)).recover((e) => ctx(e.target), log);
}

/** Sets the run's Kinesis quota and service model after undoing leftovers; answers how to undo them. */
export async function holdRunQuota(
  paths: Paths,
  ports: Ports,
  setting: QuotaSetting,
  log: (line: string) => void,
): Promise<() => Promise<void>> {
  await recoverJournal(paths, ports, log);
  const journal = new Journal(journalFile(paths.state));
  const quotas = stackQuotaControl(paths, ports);
  const previous = await quotas.set('kinesis', setting);
  journal.add(RUN, 'quota', 'kinesis', previous);
  return async () => {
    await quotas.set('kinesis', previous);
    journal.remove(RUN);
  };
}
