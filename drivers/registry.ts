/**
 * Every driver by name, in the order the stack starts their stand-ins. Adding a broker is
 * its folder under drivers/ and one line here (docs/architecture.md, "Adding a broker").
 */
import { UserError } from '../common/user-error.ts';
import { registerDescription } from './descriptions.ts';
import { kafkaDriver } from './kafka/driver.ts';
import { kinesisDriver } from './kinesis/driver.ts';
import { memoryDriver } from './memory/driver.ts';
import type { Driver, LocalSide } from './types.ts';

const DRIVERS = new Map<string, Driver>(
  [kafkaDriver, kinesisDriver, memoryDriver].map((d) => [d.name, d]),
);

export class UnknownDriverError extends UserError {
  override name = 'UnknownDriverError';
}

/** Every driver's name, in registry order. */
export const driverNames = (): string[] => [...DRIVERS.keys()];

/** The drivers with a local stand-in: what `hunt run` and `hunt compare` can run against. */
export const localDrivers = (): (Driver & { local: LocalSide })[] =>
  [...DRIVERS.values()].filter((d): d is Driver & { local: LocalSide } => d.local !== undefined);

/** The driver named `name`; a UserError naming the known ones otherwise. */
export function driverOf(name: string): Driver {
  const d = DRIVERS.get(name);
  if (d) return d;
  throw new UnknownDriverError(
    `backend '${name}': no such driver; one of ${driverNames().join(', ')}`,
  );
}

/**
 * Adds a driver beside the shipped ones, for a broker kept outside this folder (a test's
 * fake, a plug-in); its name must be new.
 */
export function registerDriver(d: Driver): () => void {
  if (DRIVERS.has(d.name)) throw new Error(`driver ${d.name}: already registered`);
  const describe = d.target?.describe;
  const undescribe = registerDescription({
    name: d.name,
    selfChecks: d.local?.selfCheck !== undefined,
    ...(describe && { describeTarget: (t) => describe(t) }),
  });
  DRIVERS.set(d.name, d);
  return () => {
    DRIVERS.delete(d.name);
    undescribe();
  };
}
