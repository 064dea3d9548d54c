import { describe, expect, it } from 'vitest';
import type { TimelinePoint } from '../contract/schema.ts';
import { detectFigures } from './symptoms.ts';

const at = (t: number, backlog: number, alerts: string[] = []) =>
  ({ t, backlog, alerts }) as unknown as TimelinePoint;

describe('time to detect', () => {
  it('runs from the backlog crossing its critical threshold to the alert firing', () => {
    const points = [at(0, 0), at(1, 1500), at(2, 2000), at(5, 2500, ['HuntBacklogCritical'])];
    expect(detectFigures(points, 1500)).toEqual({
      thresholdEvents: 1500,
      crossedAtS: 1,
      firedAtS: 5,
      lagS: 4,
      reason: null,
    });
  });
  it('is 0 when the alert already fired before the crossing', () => {
    const points = [at(0, 600, ['HuntBacklogCritical']), at(3, 1600, ['HuntBacklogCritical'])];
    expect(detectFigures(points, 1500).lagS).toBe(0);
  });
  it('says why there is no time: never crossed, never fired, no threshold', () => {
    expect(detectFigures([at(0, 10)], 1500)).toMatchObject({
      lagS: null,
      reason: 'backlog never crossed',
    });
    expect(detectFigures([at(0, 2000), at(1, 0)], 1500)).toMatchObject({
      crossedAtS: 0,
      lagS: null,
      reason: 'alert never fired',
    });
    expect(detectFigures([at(0, 2000)], null)).toMatchObject({
      lagS: null,
      reason: 'no threshold known',
    });
  });
});
