/**
 * The `hunt` CLI: one binary, one verb per file in cli/commands/. This is the one place that
 * turns a verb's outcome into the process's exit code: a verb returns (ok) or throws an
 * error carrying its code (`ExitError`, `UserError`), printed as one line; any other error
 * is a bug and keeps its stack trace.
 */
import { Command, CommanderError } from 'commander';
import { EXIT, exitCodeOf } from '../common/exit-codes.ts';
import { register as balancer } from './commands/balancer.ts';
import { register as capacity } from './commands/capacity.ts';
import { register as chaos } from './commands/chaos.ts';
import { register as compare } from './commands/compare.ts';
import { register as data } from './commands/data.ts';
import { register as demo } from './commands/demo.ts';
import { register as dlq } from './commands/dlq.ts';
import { register as doctor } from './commands/doctor.ts';
import { register as engine } from './commands/engine.ts';
import { register as fulfillment } from './commands/fulfillment.ts';
import { register as gate } from './commands/gate.ts';
import { register as k6Operator } from './commands/k6-operator.ts';
import { register as profile } from './commands/profile.ts';
import { register as report } from './commands/report.ts';
import { register as run } from './commands/run.ts';
import { register as setup } from './commands/setup.ts';
import { register as stack } from './commands/stack.ts';
import { printWarningsExceptHarmless } from './warnings.ts';

printWarningsExceptHarmless();

const program = new Command('hunt')
  .description(
    'Load-testing and chaos harness for event-driven systems: replay flash-sale bursts' +
      ' against Kafka and Kinesis, inject faults, and compare backlog, latency, DLQ and loss.',
  )
  .showHelpAfterError()
  .exitOverride();

// In the order `hunt --help` lists them: the main job, the stack, the parts, the outputs.
const VERBS = [
  demo,
  setup,
  doctor,
  stack,
  engine,
  fulfillment,
  balancer,
  dlq,
  data,
  profile,
  chaos,
  run,
  compare,
  capacity,
  k6Operator,
  report,
  gate,
];
for (const register of VERBS) register(program);

/** The exit code of a verb that ended with `err`, after saying why on stderr. */
function exitCodeAfter(err: unknown): number {
  // Commander's own errors (an unknown option, a missing argument) are bad input; help is not.
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  const code = exitCodeOf(err);
  if (code !== null) {
    console.error(`hunt: ${(err as Error).message}`);
    return code;
  }
  console.error(err);
  return EXIT.failed;
}

let code: number = EXIT.ok;
try {
  await program.parseAsync(process.argv);
} catch (err) {
  code = exitCodeAfter(err);
}
// Explicit: a service verb stopped by a signal may leave timers behind; stdio is synchronous here.
process.exit(code);
