/**
 * The layers are kept by dependency-cruiser in `npm run check` (.dependency-cruiser.cjs).
 * These tests plant each kind of violation in a small tree of their own and check that the
 * project's rules name it, and that a clean tree passes. The driver seam is kept the same way:
 * no code outside drivers/ branches on a broker's name.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';
import { localDrivers } from '../drivers/registry.ts';
import { REPO_ROOT } from '../stack/tools.ts';

const require = createRequire(import.meta.url);
const config = require(join(REPO_ROOT, '.dependency-cruiser.cjs')) as {
  forbidden: unknown[];
  options: Record<string, unknown>;
};

/** The rules broken by a tree of `files` (path -> source), as `rule: from -> to`. */
async function violations(files: Record<string, string>): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'hunt-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const { tsConfig: _, ...options } = config.options;
  const result = await cruise(Object.keys(files), {
    ...options,
    baseDir: root,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
  } as never);
  const out = result.output as {
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  return out.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

describe('the layers', () => {
  it('pass a tree that imports downward only', async () => {
    expect(
      await violations({
        'common/a.ts': 'export const a = 1;\n',
        'engine/b.ts': "import { a } from '../common/a.ts';\nexport const b = a;\n",
        'run/c.ts': "import { b } from '../engine/b.ts';\nexport const c = b;\n",
      }),
    ).toEqual([]);
  });

  it('name an import from a higher layer', async () => {
    expect(
      await violations({
        'engine/b.ts': "import { c } from '../run/c.ts';\nexport const b = c;\n",
        'run/c.ts': 'export const c = 1;\n',
      }),
    ).toEqual(['no-upward-from-engine: engine/b.ts -> run/c.ts']);
  });

  it('name an import cycle', async () => {
    const found = await violations({
      'run/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
      'run/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
    });
    expect(found).toContain('no-circular: run/a.ts -> run/b.ts');
  });

  it('name product code that imports test support, and one driver importing another', async () => {
    const found = await violations({
      'run/a.ts': "import { t } from '../testkit/t.ts';\nexport const a = t;\n",
      'testkit/t.ts': 'export const t = 1;\n',
      'drivers/x/d.ts': "import { e } from '../y/e.ts';\nexport const d = e;\n",
      'drivers/y/e.ts': 'export const e = 1;\n',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'no-test-support-in-product: run/a.ts -> testkit/t.ts',
        'no-driver-to-driver: drivers/x/d.ts -> drivers/y/e.ts',
      ]),
    );
  });

  it('name a report that reaches a driver with its clients, directly or not', async () => {
    const found = await violations({
      'reports/a.ts': "import { s } from '../system/s.ts';\nexport const a = s;\n",
      'reports/b.ts': "import { d } from '../drivers/descriptions.ts';\nexport const b = d;\n",
      'system/s.ts': "import { r } from '../drivers/registry.ts';\nexport const s = r;\n",
      'drivers/registry.ts': 'export const r = 1;\n',
      'drivers/descriptions.ts': 'export const d = 1;\n',
    });
    expect(found).toEqual(['reports-load-no-broker-client: reports/a.ts -> drivers/registry.ts']);
  });
});

/** Every TypeScript file of the product: no test, no fixture, no test support. */
function productFiles(dir = REPO_ROOT, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (['node_modules', 'results', '.git', 'test', 'testkit', 'fixtures'].includes(name)) continue;
    if (statSync(path).isDirectory()) productFiles(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

describe('the driver seam', () => {
  it('no code outside drivers/ compares a value with a broker name', () => {
    // The brokers with a stand-in; the in-process memory backend is the benchmark's ceiling.
    const names = localDrivers()
      .map((d) => d.name)
      .join('|');
    const compared = new RegExp(
      `(===|!==)\\s*['"](${names})['"]|['"](${names})['"]\\s*(===|!==)|case\\s+['"](${names})['"]`,
    );
    const found = productFiles()
      .filter((f) => !relative(REPO_ROOT, f).startsWith('drivers/'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .flatMap((line, i) =>
            compared.test(line) ? [`${relative(REPO_ROOT, f)}:${i + 1}`] : [],
          ),
      );
    expect(found).toEqual([]);
  });
});
