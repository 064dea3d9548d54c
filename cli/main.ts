/**
 * The `hunt` CLI: one binary, one verb per file in cli/commands/. Errors the user can act
 * on are printed as one line naming what is wrong; anything else keeps its stack trace.
 */
import { Command, CommanderError } from 'commander';
import { EXIT } from '../common/exit-codes.ts';
import { isUserError } from '../common/user-error.ts';
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
  dlq,
  data,
  profile,
  chaos,
  run,
  compare,
  k6Operator,
  report,
  gate,
];
for (const register of VERBS) register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (isUserError(err)) {
    console.error(`hunt: ${err.message}`);
    process.exit(EXIT.usage);
  }
  throw err;
}
