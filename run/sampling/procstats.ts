/** CPU % and RSS of the processes under test, sampled by pidusage (reads /proc on Linux). */
import pidusage from 'pidusage';

export type ProcessStats = Record<string, { cpuPct: number; rssMiB: number }>;

export async function sampleProcesses(
  pids: Record<string, number | undefined>,
): Promise<ProcessStats> {
  const out: ProcessStats = {};
  await Promise.all(
    Object.entries(pids).map(async ([name, pid]) => {
      if (pid === undefined) return;
      try {
        const s = await pidusage(pid);
        out[name] = {
          cpuPct: Number(s.cpu.toFixed(1)),
          rssMiB: Number((s.memory / 2 ** 20).toFixed(1)),
        };
      } catch {
        // The process is gone (a killed broker, k6 after its end): no sample this second.
      }
    }),
  );
  return out;
}

export function clearProcessStats(): void {
  pidusage.clear();
}
