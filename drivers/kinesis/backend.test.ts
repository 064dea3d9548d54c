import { expect, test } from 'vitest';
import { CONTROL_RETRY } from './backend.ts';

const named = (name: string) => Object.assign(new Error(name), { name });

test('a control-plane call over its rate is called again; any other failure is not', async () => {
  let calls = 0;
  const answer = await CONTROL_RETRY.execute(async () => {
    if (++calls < 3) throw named('LimitExceededException');
    return 'created';
  });
  expect(answer).toBe('created');
  expect(calls).toBe(3);

  let other = 0;
  await expect(
    CONTROL_RETRY.execute(async () => {
      other++;
      throw named('ResourceInUseException');
    }),
  ).rejects.toThrow('ResourceInUseException');
  expect(other).toBe(1);
});
