import { defineConfig } from 'vitest/config';

/**
 * Integration files whose assertions measure rates or latencies on the real clock (k6's
 * arrival rate per window, the quota layer's rates, the service model's propagation, a
 * producer queue that grows only as fast as the offered rate outruns a quota): they
 * run alone, after the others, so that no second file competes with them for the two cores.
 * Such a file holds only those tests; the rest of its subject sits in a file beside it
 * (chaos-stack-kafka, scenarios) that runs with the others.
 */
const SOLO = [
  'agents',
  'capacity',
  'chaos-stack',
  'fidelity-kinesis',
  'producer-backlog-kafka',
  'producer-backlog-kafka-platformatic',
  'producer-backlog-kinesis',
  'quota-rate',
  'run-fidelity',
  'scenarios-peak-sale',
].map((f) => `test/integration/${f}.test.ts`);

const integration = {
  setupFiles: ['test/integration/setup.ts'],
  testTimeout: 180_000,
  hookTimeout: 180_000,
};

// Three groups, one after another: fast unit tests beside the code; integration tests that
// start real processes or the real stack (Kafka, kinesalite, Toxiproxy, k6), three files at a
// time; then the integration files that measure on the real clock, one at a time.
// `npm run check` runs the unit group alone; `--project 'integration*'` both integration groups.
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
          exclude: SOLO,
          // Three files at a time on two cores: each spends most of its time waiting on k6's
          // fixed-rate load, a drain or a broker (a quarter of the CPU stayed idle at three),
          // and every private stack has its own ports and state dir.
          maxWorkers: 3,
          sequence: { groupOrder: 1 },
          ...integration,
        },
      },
      {
        test: {
          name: 'integration-solo',
          include: SOLO,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
          ...integration,
        },
      },
    ],
  },
});
