import type { Command } from 'commander';
import { EXIT, ExitError } from '../../common/exit-codes.ts';
import { table } from '../../common/table.ts';
import { resolvePaths } from '../../stack/config.ts';
import { doctor, doctorPasses, type ToolCheck } from '../../stack/doctor.ts';

export function register(program: Command): void {
  program
    .command('doctor')
    .description(
      "print the Node in use and each tool's version and path; exit 2 if Node is older than supported or a tool the harness needs is missing",
    )
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const checks = await doctor(resolvePaths());
      const ok = doctorPasses(checks);
      if (opts.json) {
        console.log(JSON.stringify({ ok, tools: checks }, null, 2));
      } else {
        console.log(
          table(
            ['tool', 'status', 'version', 'path'],
            checks.map((c) => [c.tool, status(c), c.version ?? '-', c.path ?? '-']),
          ),
        );
        if (checks.some((c) => c.tool === 'node' && !c.ok)) {
          console.log(
            "\nThis Node is older than package.json's engines: run 'npm ci' for the pinned one.",
          );
        } else if (!ok) {
          console.log("\nSome tools are missing: run 'hunt setup'.");
        }
      }
      // A missing tool or an old Node is a missing prerequisite: the user's to fix.
      if (!ok) throw new ExitError(EXIT.usage, 'doctor: a tool is missing or too old');
    });
}

function status(c: ToolCheck): string {
  if (c.ok) return 'ok';
  if (c.tool === 'node') return 'TOO OLD';
  return c.role === 'setup' ? 'missing (setup only)' : 'MISSING';
}
