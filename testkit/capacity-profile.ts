/** A fidelity profile stating only a capacity: `scale` and one service's section. */
import { FidelityProfile } from '../contract/fidelity-schema.ts';

export const capacityProfile = (scale: number, service: Record<string, unknown>) =>
  FidelityProfile.parse({
    name: 't',
    version: 1,
    description: 'test',
    capacity: { scale: { value: scale, status: 'assumed', note: 'why' }, ...service },
  });
