/** Every Toxiproxy toxic type a plan may use, one file each, like Toxiproxy's toxics/. */
import { bandwidth } from './bandwidth.ts';
import { latency } from './latency.ts';
import { limitData } from './limit_data.ts';
import { resetPeer } from './reset_peer.ts';
import { slicer } from './slicer.ts';
import { slowClose } from './slow_close.ts';
import { timeout } from './timeout.ts';
import type { ToxicKind } from './types.ts';

export const TOXICS = {
  latency,
  bandwidth,
  timeout,
  reset_peer: resetPeer,
  slow_close: slowClose,
  slicer,
  limit_data: limitData,
} satisfies Record<string, ToxicKind>;

export type ToxicType = keyof typeof TOXICS;
export const TOXIC_TYPES = Object.keys(TOXICS) as [ToxicType, ...ToxicType[]];
