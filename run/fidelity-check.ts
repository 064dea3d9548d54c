/** At the end of a Kinesis run: the quota layer's measurements against the profile, to fidelity-check.json. */
import { join } from 'node:path';
import { kinesisModelStats } from '../chaos/quota-control.ts';
import type { FidelityProfile } from '../contract/fidelity-schema.ts';
import {
  FIDELITY_CHECK_FILE,
  type FidelityCheck,
  fidelityCheck,
  type LayerStats,
} from '../reports/fidelity-check.ts';
import { writeJson } from './run-prepare.ts';

export async function writeFidelityCheck(
  dir: string,
  adminUrl: string,
  profile: FidelityProfile,
): Promise<FidelityCheck> {
  const stats = (await kinesisModelStats(adminUrl)) as LayerStats | null;
  const check = fidelityCheck(profile, stats);
  writeJson(join(dir, FIDELITY_CHECK_FILE), check);
  return check;
}
