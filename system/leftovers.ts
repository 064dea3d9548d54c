/**
 * What a run leaves on a stack it did not start, and how the next run cleans it: the quotas
 * and service model a whole run sets on its broker (`hunt run --kinesis-quota`, `--fidelity`)
 * are journaled like a plan's quota step, so a run killed before it could undo them leaves an
 * entry that the next run (or chaos runner) undoes, with the plan's quotas, lying mode and kills.
 */

import type { FaultContext, QuotaSetting } from '../chaos/faults/types.ts';
import { Journal } from '../chaos/journal.ts';
import { toxiproxyApi } from '../chaos/toxiproxy.ts';
import { journalFile, type Paths, type Ports } from '../stack/config.ts';
import {
  stackDownstreamControl,
  stackProcessControl,
  stackQuotaControl,
  toxiproxyUrl,
} from './chaos.ts';
import { stopStrays } from './stack.ts';

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

/**
 * Sets the quotas and service model of the run's broker (`provider`) after undoing
 * leftovers; answers how to undo them.
 */
export async function holdRunQuota(
  paths: Paths,
  ports: Ports,
  provider: string,
  setting: QuotaSetting,
  log: (line: string) => void,
): Promise<() => Promise<void>> {
  await recoverJournal(paths, ports, log);
  const journal = new Journal(journalFile(paths.state));
  const quotas = stackQuotaControl(paths, ports);
  const previous = await quotas.set(provider, setting);
  journal.add(RUN, 'quota', provider, previous);
  return async () => {
    await quotas.set(provider, previous);
    journal.remove(RUN);
  };
}
