import { describe, expect, it } from 'vitest';
import { untilCoordinator } from './backend.ts';

const named = (name: string, retriable = false) =>
  Object.assign(new Error(name), { name, retriable });

describe('untilCoordinator', () => {
  it('asks again while the group has no coordinator yet, then answers', async () => {
    let calls = 0;
    const got = await untilCoordinator(async () => {
      calls++;
      if (calls < 3) throw named('KafkaJSGroupCoordinatorNotFound');
      return 'described';
    }, 1);
    expect(got).toBe('described');
    expect(calls).toBe(3);
  });

  it('waits out a retriable answer that kafkajs wrapped when its own retries ran out', async () => {
    // kafkajs/src/errors.js: KafkaJSNumberOfRetriesExceeded is never retriable; its cause is.
    const loading = Object.assign(new Error('The coordinator is loading'), {
      name: 'KafkaJSProtocolError',
      type: 'COORDINATOR_LOAD_IN_PROGRESS',
      retriable: true,
    });
    let calls = 0;
    const got = await untilCoordinator(async () => {
      calls++;
      if (calls < 3)
        throw Object.assign(new Error(loading.message), {
          name: 'KafkaJSNumberOfRetriesExceeded',
          retriable: false,
          cause: loading,
        });
      return 'described';
    }, 1);
    expect(got).toBe('described');
    expect(calls).toBe(3);
  });

  it('gives up at once on any other failure', async () => {
    let calls = 0;
    await expect(
      untilCoordinator(async () => {
        calls++;
        throw named('KafkaJSNonRetriableError');
      }, 1),
    ).rejects.toThrow('KafkaJSNonRetriableError');
    expect(calls).toBe(1);
  });
});
