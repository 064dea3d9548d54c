import { z } from 'zod';
import { processNames, resolveProcess, type TargetCatalogue } from '../targets.ts';
import { defineFault, type Revert } from './types.ts';

/**
 * SIGKILLs a stack process; it is restarted, identically, when the step's window ends. A name
 * may stand for one of several daemons (a cluster's busiest leader at that moment, as its
 * driver's process control says); the one killed is kept (memo) so that the restart, even
 * after a crash, starts that one.
 */
const schema = (c: TargetCatalogue) => z.strictObject({ process: z.enum(processNames(c)) });
type Kill = z.output<ReturnType<typeof schema>>;

export const kill = defineFault<Kill>({
  key: 'kill',
  schema,
  exclusive: true,
  kind: () => 'kill',
  target: (k, run) => resolveProcess(k.process, run),
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
