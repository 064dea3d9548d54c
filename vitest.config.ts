import { defineConfig } from 'vitest/config';

// Two groups: fast unit tests beside the code, and integration tests that start real
// processes or the real stack (Kafka, kinesalite, Toxiproxy, k6), or measure on the real
// clock. `npm run check` runs the unit group alone; `npm test` runs unit, then integration.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            '{common,contract,analysis,cli,stack,engine,chaos,drivers,system,reports,run,scripts,scenarios,testkit}/**/*.test.ts',
          ],
          testTimeout: 20_000,
          // Mostly waiting on timers and sockets: two workers even on two cores. No test
          // mocks modules or changes the environment, so files may share a module cache,
          // which saves each file re-importing the AWS SDK, kafkajs and fastify.
          maxWorkers: 2,
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // One file at a time, after the unit group: the machine has two cores and each
          // file may bring up a JVM broker.
          fileParallelism: false,
          setupFiles: ['test/integration/setup.ts'],
          sequence: { groupOrder: 1 },
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
