import type { Command } from 'commander';
import { EXIT } from '../../common/exit-codes.ts';
import { table } from '../../common/table.ts';
import { resolvePaths } from '../../stack/config.ts';
import { doctor, doctorPasses } from '../../stack/doctor.ts';

export function register(program: Command): void {
  program
    .command('doctor')
    .description(
      "print each tool's version and path; exit 1 if a tool the harness needs is missing",
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
            checks.map((c) => [
              c.tool,
              c.ok ? 'ok' : c.role === 'setup' ? 'missing (setup only)' : 'MISSING',
              c.version ?? '-',
              c.path ?? '-',
            ]),
          ),
        );
        if (!ok) console.log("\nSome tools are missing: run 'hunt setup'.");
      }
      process.exitCode = ok ? EXIT.ok : EXIT.failed;
    });
}
