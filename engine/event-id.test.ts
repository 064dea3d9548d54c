import { describe, expect, it } from 'vitest';
import { newEventId } from './event-id.ts';

describe('newEventId', () => {
  it('gives distinct uuidv7 ids in time order, within a millisecond and across pool refills', () => {
    // Later than any clock another test in this worker used: the state is module-wide.
    const t = Date.now() + 86_400_000;
    const ids = Array.from({ length: 1000 }, () => newEventId(t));
    ids.push(...Array.from({ length: 10 }, () => newEventId(t + 1)));
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    const hex = t.toString(16).padStart(12, '0');
    expect(ids[0]!.replace('-', '').slice(0, 12)).toBe(hex);
  });
});
