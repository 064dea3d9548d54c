/** Every kind of plan step, keyed by its YAML key. */
import { disable } from './disable.ts';
import { downstream } from './downstream.ts';
import { kill } from './kill.ts';
import { quota } from './quota.ts';
import { toxic } from './toxic.ts';
import type { FaultKind } from './types.ts';

export const FAULTS = { toxic, disable, kill, quota, downstream } satisfies Record<
  string,
  FaultKind
>;
export type FaultKey = keyof typeof FAULTS;
export const FAULT_KEYS = Object.keys(FAULTS) as FaultKey[];
