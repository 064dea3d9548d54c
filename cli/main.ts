/**
 * The `hunt` CLI: one binary, one verb per file in cli/commands/. This is the one place that
 * turns a verb's outcome into the process's exit code: a verb returns (ok) or throws an
 * error carrying its code (`ExitError`, `UserError`), printed as one line; any other error
 * is a bug and keeps its stack trace.
 */
import { Command, CommanderError } from 'commander';
import { EXIT, exitCodeOf } from '../common/exit-codes.ts';
import { printWarningsExceptHarmless } from './warnings.ts';

printWarningsExceptHarmless();

const program = new Command('hunt')
  .description(
    'Load-testing and chaos harness for event-driven systems: replay flash-sale bursts' +
      ' against Kafka and Kinesis, inject faults, and compare backlog, latency, DLQ and loss.',
  )
  .showHelpAfterError()
  .exitOverride();

type Verb = { register(program: Command): void };

// In the order `hunt --help` lists them: the main job, the stack, the parts, the outputs.
const VERBS: Record<string, () => Promise<Verb>> = {
  demo: () => import('./commands/demo.ts'),
  setup: () => import('./commands/setup.ts'),
  doctor: () => import('./commands/doctor.ts'),
  stack: () => import('./commands/stack.ts'),
  engine: () => import('./commands/engine.ts'),
  fulfillment: () => import('./commands/fulfillment.ts'),
  balancer: () => import('./commands/balancer.ts'),
  dlq: () => import('./commands/dlq.ts'),
  data: () => import('./commands/data.ts'),
  profile: () => import('./commands/profile.ts'),
  chaos: () => import('./commands/chaos.ts'),
  run: () => import('./commands/run.ts'),
  compare: () => import('./commands/compare.ts'),
  capacity: () => import('./commands/capacity.ts'),
  'k6-operator': () => import('./commands/k6-operator.ts'),
  report: () => import('./commands/report.ts'),
  gate: () => import('./commands/gate.ts'),
};
// The verb named loads alone: every verb's modules (broker clients, servers) would cost
// `hunt report` half a second and 100 MB. Help, or a name no verb has, loads them all.
const named = Object.hasOwn(VERBS, process.argv[2] ?? '') ? process.argv[2]! : null;
const verbs = await Promise.all((named ? [VERBS[named]!] : Object.values(VERBS)).map((l) => l()));
for (const verb of verbs) verb.register(program);

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
