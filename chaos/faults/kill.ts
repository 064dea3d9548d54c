import { z } from 'zod';
import { PROCESS_NAMES, resolveProcess } from '../targets.ts';
import { defineFault, type Revert } from './types.ts';

/**
 * SIGKILLs a stack process; it is restarted, identically, when the step's window ends. On a
 * Kafka cluster `kafka`/`broker` is the leader of the busiest partition at that moment; the
 * broker it was is kept (memo) so that the restart, even after a crash, starts that one.
 */
const Kill = z.strictObject({ process: z.enum(PROCESS_NAMES) });
type Kill = z.output<typeof Kill>;

export const kill = defineFault<Kill>({
  key: 'kill',
  schema: Kill,
  exclusive: true,
  kind: () => 'kill',
  target: (k, backend) => resolveProcess(k.process, backend),
  describe: (_k, target) => `${target} killed (SIGKILL)`,
  async apply(_k, ctx) {
    const processes = ctx.processes;
    if (!processes) throw new Error('no process control: run against a stack started by hunt');
    const killed = (await processes.kill(ctx.target)) || ctx.target;
    const revert: Revert = () => processes.restart(killed);
    revert.memo = killed;
    return revert;
  },
  async recover(target, ctx, memo) {
    await ctx.processes?.restart(typeof memo === 'string' ? memo : target);
  },
});
