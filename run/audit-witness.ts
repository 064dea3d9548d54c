/**
 * The audit's witness: what k6 itself recorded. Every write carries its event id as k6
 * metadata (`event_id`, scenarios/lib/client.ts), so each http_req_duration sample in
 * k6-samples.csv.gz says which id was answered with which status. Nothing here asks the
 * system under test.
 */
import { existsSync } from 'node:fs';
import { fieldAt, forEachK6Line, tagValue } from '../reports/k6-samples.ts';

export interface K6Witness {
  /** Ids k6 got a 202 for. */
  accepted: Set<string>;
  /** Every id k6 sent, whatever the answer. */
  sent: Set<string>;
  /** POSTs sampled without an event id: writes the audit cannot account for. */
  unwitnessed: number;
}

// Only these lines are read: found by a native search, the rest never reach JavaScript.
const DURATION = ['http_req_duration,'];

export class WitnessError extends Error {
  override name = 'WitnessError';
}

/** One k6's samples file, or every agent's (run/agents-merge.ts `witnessFiles`): all must exist. */
export async function readK6Witness(files: string | string[]): Promise<K6Witness> {
  const list = typeof files === 'string' ? [files] : files;
  const missing = list.find((f) => !existsSync(f));
  if (missing !== undefined || list.length === 0) {
    throw new WitnessError(`${missing ?? 'k6'}: no k6 samples, so no witness of what was accepted`);
  }
  const w: K6Witness = { accepted: new Set(), sent: new Set(), unwitnessed: 0 };
  for (const file of list) await witnessFile(file, w);
  return w;
}

async function witnessFile(file: string, w: K6Witness): Promise<void> {
  await forEachK6Line(
    file,
    (buf, start, end, cols) => {
      if (fieldAt(buf, start, end, cols.method ?? -1) !== 'POST') return;
      const id = tagValue(fieldAt(buf, start, end, cols.metadata ?? -1), 'event_id');
      if (!id) {
        w.unwitnessed++;
        return;
      }
      w.sent.add(id);
      if (fieldAt(buf, start, end, cols.status ?? -1) === '202') w.accepted.add(id);
    },
    DURATION,
  );
}
