import { defineConfig } from 'vitest/config';

// Two groups: fast unit tests beside the code, and integration tests that start the real
// stack (Kafka, kinesalite, Toxiproxy, k6). Integration files run one at a time: the
// machine has two cores and each file may bring up a JVM broker.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{cli,stack,engine,chaos,reports,run,scripts,scenarios}/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
