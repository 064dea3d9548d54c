/**
 * Seeded per-operation delays: a log-normal fitted to a p50 and a p99 (the median is e^μ and
 * the p99 e^(μ + 2.326σ)), so a profile can state a latency the way AWS and users report it.
 */
import { seededRandom } from '../../../common/random.ts';
import type { LatencySpec, ModelOp } from '../../../contract/service-model.ts';

const Z99 = 2.326_347_874;

export class LatencySampler {
  private readonly random: () => number;
  private spare: number | undefined;

  constructor(
    private readonly specs: Partial<Record<ModelOp, LatencySpec>>,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  /** A delay in ms for one call of `op`; 0 for an operation the model leaves alone. */
  sample(op: string): number {
    const spec = this.specs[op as ModelOp];
    if (!spec || spec.p50 <= 0) return 0;
    const sigma = Math.log(spec.p99 / spec.p50) / Z99;
    return Math.exp(Math.log(spec.p50) + sigma * this.normal());
  }

  /** Box–Muller, keeping the second value for the next call. */
  private normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const u = 1 - this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/** The mean of the log-normal a spec describes: what an average propagation adds up from. */
export function meanOf(spec: LatencySpec): number {
  if (spec.p50 <= 0) return 0;
  const sigma = Math.log(spec.p99 / spec.p50) / Z99;
  return spec.p50 * Math.exp((sigma * sigma) / 2);
}
