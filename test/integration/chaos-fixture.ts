/**
 * The chaos tests' fixture: one private test stack per file (started before its tests, stopped
 * after), and a chaos plan against it, started and waited on until its first step is in force.
 */
import { afterAll, beforeAll } from 'vitest';
import { parsePlan } from '../../chaos/plan.ts';
import { ChaosRecorder } from '../../chaos/recorder.ts';
import { runPlan } from '../../chaos/runner.ts';
import { waitFor } from '../../stack/process.ts';
import {
  planTargets,
  runTargets,
  stackProcessControl,
  stackQuotaControl,
  toxiproxyUrl,
} from '../../system/chaos.ts';
import { startTestStack, type TestStack } from './stack-fixture.ts';

export let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack?.stop();
});

function controls() {
  return {
    toxiproxyUrl: toxiproxyUrl(stack.ports),
    processControl: stackProcessControl(stack.paths, stack.ports),
    quotaControl: stackQuotaControl(stack.paths, stack.ports),
  };
}

/** Starts a plan and resolves once its first step is in force (wrapped: a bare promise would be awaited too). */
export async function startPlan(yaml: string, backend: string, signal?: AbortSignal) {
  const recorder = new ChaosRecorder();
  const run = runPlan(parsePlan(yaml, 'test.yaml', planTargets()), {
    run: runTargets(backend),
    recorder,
    ...controls(),
    ...(signal ? { signal, holdUntilAborted: true } : {}),
  });
  await waitFor(
    'first step applied',
    async () => {
      if (recorder.active().length === 0)
        throw new Error(JSON.stringify(recorder.toRecord().events));
    },
    { timeoutMs: 60_000, intervalMs: 50 },
  );
  return { run };
}
