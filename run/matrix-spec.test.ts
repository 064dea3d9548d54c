import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../stack/tools.ts';
import {
  cellDir,
  loadMatrixFile,
  matrixFromFlags,
  parseMatrixFile,
  STOPGAPS,
  schedule,
} from './matrix-spec.ts';

describe('matrix from flags', () => {
  it('defaults to both backends, the engine default design, one repeat', () => {
    expect(matrixFromFlags({})).toEqual({ backends: ['kafka', 'kinesis'], designs: [], repeat: 1 });
  });
  it('takes presets as designs', () => {
    expect(
      matrixFromFlags({ backends: 'kinesis', designs: 'naive, hardened', repeat: '3' }),
    ).toEqual({
      backends: ['kinesis'],
      designs: [
        { name: 'naive', settings: { design: 'naive' } },
        { name: 'hardened', settings: { design: 'hardened' } },
      ],
      repeat: 3,
    });
  });
  it.each([
    [
      { backends: 'kafka,memory' },
      "--backends: expected a comma list of kafka, kinesis, got 'memory'",
    ],
    [
      { designs: 'naive,robust' },
      "--designs: expected a comma list of naive, hardened, naive-batching, naive-more-producers, got 'robust'",
    ],
    [{ designs: 'naive,naive' }, "--designs: 'naive,naive' names a value twice"],
    [{ repeat: '0' }, "--repeat: expected a whole number from 1 to 20, got '0'"],
    [{ repeat: '2.5' }, "--repeat: expected a whole number from 1 to 20, got '2.5'"],
  ])('rejects %o in one line naming the flag', (flags, message) => {
    expect(() => matrixFromFlags(flags)).toThrow(message);
  });
});

describe('matrix file', () => {
  const file = 'm.yaml';
  it('reads backends, designs with switches, repeat and settings', () => {
    const m = parseMatrixFile(
      [
        'backends: [kafka]',
        'designs:',
        '  - naive',
        '  - { name: hardened-no-dlq, design: hardened, switches: { dlq: false } }',
        'repeat: 2',
        'set: { backlogCritical: 1500 }',
      ].join('\n'),
      file,
    );
    expect(m).toEqual({
      backends: ['kafka'],
      designs: [
        { name: 'naive', settings: { design: 'naive' } },
        { name: 'hardened-no-dlq', settings: { design: 'hardened', dlq: 'false' } },
      ],
      repeat: 2,
      settings: { backlogCritical: '1500' },
    });
  });
  it.each([
    ['backends: [kafka]\nrepeat: 0\n', /^m\.yaml:2: repeat: .*>=1/],
    [
      'backends: [kafka]\ndesigns:\n  - naive\n  - robust\n',
      /^m\.yaml:4: designs\[1\]: expected naive, hardened, naive-batching, naive-more-producers, or \{ name, design, switches, stopgaps, settings, producers \}$/,
    ],
    ['backends: [kafka]\nrepeats: 2\n', /^m\.yaml:2: repeats: unknown key 'repeats'/],
    [
      'designs:\n  - { name: a, design: hardened, switches: { breaker: true } }\n',
      /^m\.yaml:2: designs\[0\]\.switches\.breaker: unknown key 'breaker' \(expected one of admissionBreaker, /,
    ],
    [
      'designs:\n  - naive\n  - { name: naive, design: naive }\n',
      /^m\.yaml:3: designs\[1\]: the name 'naive' is used twice/,
    ],
    ['backends: [kafka, kafka]\n', /^m\.yaml:1: backends: names a backend twice/],
    ['backends: [kafka\n', /^m\.yaml:\d+: /],
  ])('names the file and line of %j', (text, message) => {
    expect(() => parseMatrixFile(text, file)).toThrow(message);
    try {
      parseMatrixFile(text, file);
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
      expect((e as { exitCode?: number }).exitCode).toBe(2);
    }
  });
  it('names a file it cannot read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hunt-matrix-'));
    expect(() => loadMatrixFile(join(dir, 'none.yaml'))).toThrow(
      /^--matrix: cannot read .*none\.yaml: ENOENT/,
    );
    writeFileSync(join(dir, 'ok.yaml'), 'repeat: 2\n');
    expect(loadMatrixFile(join(dir, 'ok.yaml')).repeat).toBe(2);
  });
});

describe('schedule', () => {
  it('runs every cell once per repeat, rotating which goes first', () => {
    const m = matrixFromFlags({ designs: 'naive,hardened', repeat: '3' });
    const order = schedule(m).map(({ cell, repeat }) => cellDir(cell, repeat, m.repeat));
    expect(order).toEqual([
      'kafka-naive-1',
      'kafka-hardened-1',
      'kinesis-naive-1',
      'kinesis-hardened-1',
      'kafka-hardened-2',
      'kinesis-naive-2',
      'kinesis-hardened-2',
      'kafka-naive-2',
      'kinesis-naive-3',
      'kinesis-hardened-3',
      'kafka-naive-3',
      'kafka-hardened-3',
    ]);
  });
  it('names a single repeat without its number, and a default design by its backend', () => {
    const m = matrixFromFlags({ backends: 'kafka' });
    expect(schedule(m).map(({ cell, repeat }) => cellDir(cell, repeat, 1))).toEqual(['kafka']);
  });
});

describe('shipped matrix files', () => {
  it('incident-switches parses, and its thresholds are the incident preset’s', async () => {
    const { INCIDENT } = await import('./incident.ts');
    const m = loadMatrixFile(
      join(import.meta.dirname, '..', 'scenarios', 'matrices', 'incident-switches.yaml'),
    );
    expect(m.designs.map((d) => d.name)).toHaveLength(8);
    expect(m.designs.at(-1)!.settings).toMatchObject({ boundedQueue: 'false' });
    expect(m.settings).toEqual(INCIDENT.engineSettings);
  });
});

describe('stopgaps', () => {
  it('names the two stopgaps as rows, with the values they state', () => {
    expect(
      matrixFromFlags({ designs: 'naive,naive-more-producers,naive-batching' }).designs,
    ).toEqual([
      { name: 'naive', settings: { design: 'naive' } },
      { name: 'naive-more-producers', settings: { design: 'naive' }, producers: 2 },
      { name: 'naive-batching', settings: { design: 'naive', maxBatch: '500', lingerMs: '100' } },
    ]);
  });

  it('batches within the limits of both brokers, longer than the engine waits by default', () => {
    const s = STOPGAPS.batching.settings;
    // PutRecords takes at most 500 records a call; the engine's own linger is 15 ms.
    expect(Number(s.maxBatch)).toBeLessThanOrEqual(500);
    expect(Number(s.lingerMs)).toBeGreaterThan(15);
    expect(Number(s.lingerMs)).toBeLessThanOrEqual(100);
  });

  it('reads the shipped stopgaps matrix: four rows on both backends', () => {
    const m = loadMatrixFile(join(REPO_ROOT, 'scenarios', 'matrices', 'stopgaps.yaml'));
    expect(m.backends).toEqual(['kafka', 'kinesis']);
    expect(m.designs.map((d) => d.name)).toEqual([
      'naive',
      'naive-more-producers',
      'naive-batching',
      'hardened',
    ]);
    expect(m.designs.map((d) => d.producers ?? 1)).toEqual([1, 2, 1, 1]);
    expect(schedule(m).map((r) => cellDir(r.cell, r.repeat, m.repeat))).toContain(
      'kinesis-naive-more-producers-3',
    );
  });

  it('combines stopgaps in a file entry, its own settings and producers over theirs', () => {
    const m = parseMatrixFile(
      [
        'designs:',
        '  - { name: both, design: naive, stopgaps: [batching, more-producers], settings: { lingerMs: 50 }, producers: 3 }',
      ].join('\n'),
      'm.yaml',
    );
    expect(m.designs).toEqual([
      {
        name: 'both',
        settings: { design: 'naive', maxBatch: '500', lingerMs: '50' },
        producers: 3,
      },
    ]);
  });

  it.each([
    [
      '  - { name: x, design: hardened, stopgaps: [more-producers] }',
      'm.yaml:2: designs[0]: producers 2: admissionBreaker and backlogAlert must be off',
    ],
    [
      '  - { name: x, design: naive, producers: 9 }',
      'm.yaml:2: designs[0].producers: Too big: expected number to be <=8',
    ],
    [
      '  - { name: x, design: naive, stopgaps: [sharding] }',
      'm.yaml:2: designs[0]: expected naive, hardened, naive-batching',
    ],
    [
      '  - { name: x, design: naive, lanes: 2 }',
      "unknown key 'lanes' (expected one of name, design, switches, stopgaps, settings, producers)",
    ],
  ])('refuses %s naming the file, line and field', (entry, message) => {
    expect(() => parseMatrixFile(`designs:\n${entry}\n`, 'm.yaml')).toThrow(message);
  });

  it('lets several producers run a design whose backlog switches are off', () => {
    const m = parseMatrixFile(
      'designs:\n  - { name: x, design: hardened, producers: 2, switches: { admissionBreaker: false, backlogAlert: false } }\n',
      'm.yaml',
    );
    expect(m.designs[0]?.producers).toBe(2);
  });
});
