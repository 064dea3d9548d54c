/**
 * Every driver's description by name: what a reader of results needs of a broker, without
 * loading its clients (drivers/registry.ts has the drivers themselves and registers the
 * description of each driver added there).
 */
import { kafkaDescription } from './kafka/description.ts';
import { kinesisDescription } from './kinesis/description.ts';
import { memoryDescription } from './memory/description.ts';
import type { DriverDescription } from './types.ts';

const DESCRIPTIONS = new Map<string, DriverDescription>(
  [kafkaDescription, kinesisDescription, memoryDescription].map((d) => [d.name, d]),
);

/** The description of the driver named `name`; undefined for a name no driver has. */
export const descriptionOf = (name: string): DriverDescription | undefined =>
  DESCRIPTIONS.get(name);

/** Adds the description of a driver registered beside the shipped ones; its name must be new. */
export function registerDescription(d: DriverDescription): () => void {
  if (DESCRIPTIONS.has(d.name)) throw new Error(`driver ${d.name}: already described`);
  DESCRIPTIONS.set(d.name, d);
  return () => {
    DESCRIPTIONS.delete(d.name);
  };
}
