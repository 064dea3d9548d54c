/**
 * How a fidelity dimension is graded: `real` (the real software does it), `emulated` (a model,
 * as good as its weakest parameter's status), `absent` (nothing stands in for it), or `n/a`
 * (the broker has no such thing); `unknown` when what would decide it could not be read (fail
 * closed: never real). Each driver grades its own stand-in with these.
 */
import type { Dimension, ParamStatus } from './fidelity-schema.ts';

type Param = { status: ParamStatus; value: unknown };
const ORDER: ParamStatus[] = ['published', 'measured', 'assumed'];

/** The weakest status: assumed below measured below published. */
export const weakest = (ps: Param[]): ParamStatus =>
  ORDER[Math.max(0, ...ps.map((p) => ORDER.indexOf(p.status)))]!;

export const emulated = (ps: Param[], note: string): Dimension => ({
  level: 'emulated',
  status: weakest(ps),
  note,
});
export const absent = (note: string): Dimension => ({ level: 'absent', note });
export const real = (note: string): Dimension => ({ level: 'real', note });
export const unknown = (note: string): Dimension => ({ level: 'unknown', note });
export const na = (note: string): Dimension => ({ level: 'n/a', note });
