/** How a run writes its results directory's files. */
import { writeFileSync } from 'node:fs';
import { redact } from '../engine/secrets.ts';

/** Every JSON file of a results dir: a secret setting that reached it is written redacted. */
export const writeJson = (file: string, value: unknown) =>
  writeFileSync(file, `${JSON.stringify(redact(value), null, 2)}\n`);
