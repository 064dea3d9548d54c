import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ARCHIVE_FILE,
  checkName,
  configMap,
  type OperatorOptions,
  runnerArguments,
  testRun,
  toYaml,
} from './k6-operator.ts';

const o: OperatorOptions = {
  name: 'hunt-peak-sale',
  namespace: 'load',
  parallelism: 3,
  image: 'grafana/k6:2.2.0',
  resultsClaim: 'hunt-results',
  cpu: '1',
  memory: '1Gi',
};

describe('k6-operator manifests', () => {
  it('a TestRun that runs the ConfigMap archive on N pods, one samples file per pod', () => {
    const tr = parse(toYaml(testRun(o)));
    expect(tr).toMatchObject({
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      metadata: { name: 'hunt-peak-sale', namespace: 'load' },
      spec: {
        parallelism: 3,
        script: { configMap: { name: 'hunt-peak-sale-script', file: ARCHIVE_FILE } },
        arguments: runnerArguments(o),
      },
    });
    const env = tr.spec.runner.env as { name: string; value?: string }[];
    // Dependent variables expand only when defined earlier in the list.
    const names = env.map((e) => e.name);
    expect(names.indexOf('POD_NAME')).toBeLessThan(names.indexOf('K6_CSV_FILENAME'));
    expect(env.find((e) => e.name === 'K6_CSV_FILENAME')?.value).toBe(
      '/results/$(POD_NAME).csv.gz',
    );
    expect(tr.spec.runner.volumes[0].persistentVolumeClaim.claimName).toBe('hunt-results');
    expect(tr.spec.arguments).toContain('--out csv');
  });

  it('a ConfigMap whose archive decodes to the same bytes', () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255, 10]);
    const cm = parse(toYaml(configMap(o, bytes, { scale: 2 })));
    expect(Buffer.from(cm.binaryData[ARCHIVE_FILE], 'base64')).toEqual(bytes);
    expect(JSON.parse(cm.data['hunt-load.json'])).toEqual({ scale: 2 });
  });

  it('refuses names Kubernetes would refuse', () => {
    expect(checkName('--name', 'hunt-1')).toBe('hunt-1');
    for (const bad of ['Hunt', 'hunt_1', '-hunt', 'hunt-', 'x'.repeat(53), ''])
      expect(() => checkName('--name', bad)).toThrow(/--name/);
  });
});
