import { z } from 'zod';
import { PROCESS_NAMES, resolveProcess } from '../targets.ts';
import { defineFault } from './types.ts';

/** SIGKILLs a stack process; it is restarted, identically, when the step's window ends. */
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
    await processes.kill(ctx.target);
    return () => processes.restart(ctx.target);
  },
  async recover(target, ctx) {
    await ctx.processes?.restart(target);
  },
});
