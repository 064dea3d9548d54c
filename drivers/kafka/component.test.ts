import { describe, expect, it } from 'vitest';
import { newClusterId } from './component.ts';

describe('newClusterId', () => {
  it('is 22 URL-safe base64 characters and never starts with a dash', () => {
    for (let i = 0; i < 2_000; i++) {
      const id = newClusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }
  });
});
