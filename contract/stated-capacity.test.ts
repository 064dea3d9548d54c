import { describe, expect, it } from 'vitest';
import { eventsPerS, formatBytesPerS, formatScale } from './stated-capacity.ts';

describe('how a capacity reads', () => {
  it('a scale as a fraction where it is one, and rates in decimal units', () => {
    expect(formatScale(0.01)).toBe('1/100');
    expect(formatScale(0.002)).toBe('1/500');
    expect(formatScale(0.37)).toBe('0.37');
    expect(formatScale(2)).toBe('2');
    expect(formatBytesPerS(46_800_000)).toBe('46.8 MB/s');
    expect(formatBytesPerS(468_000)).toBe('468 KB/s');
    expect(formatBytesPerS(900)).toBe('900 B/s');
  });

  it('events a second: the lower limit, and unknown without the size a bytes limit needs', () => {
    expect(eventsPerS({ bytesPerS: 100_000, recordsPerS: 400 }, 200)).toBe(400);
    expect(eventsPerS({ bytesPerS: 60_000, recordsPerS: 400 }, 200)).toBe(300);
    expect(eventsPerS({ bytesPerS: 60_000, recordsPerS: null }, null)).toBeNull();
    expect(eventsPerS({ bytesPerS: null, recordsPerS: 400 }, null)).toBe(400);
    expect(eventsPerS({ bytesPerS: null, recordsPerS: null }, 200)).toBeNull();
  });
});
