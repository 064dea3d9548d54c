/**
 * The k6-operator manifests for a scenario: a ConfigMap holding the k6 archive (script,
 * profile, data and budgets, with every setting fixed by `k6 archive -e`), and a TestRun that
 * runs it on `parallelism` runner pods. The operator gives each pod its execution segment
 * (the same split `hunt run --agents` uses), so the pods together send the profile once.
 *
 * Each pod writes its samples to a shared volume as `/results/<pod>.csv.gz` (pod names start
 * with the TestRun's), the same
 * CSV `hunt run` keeps; `hunt k6-operator import` lays them out as a results directory's
 * agents/agent-<i>/ for `hunt report`.
 */
import { stringify } from 'yaml';
import { UserError } from '../../common/user-error.ts';
import { K6_VERSION } from '../../stack/tools.ts';

/** What the manifests are built from; `load` is recorded for the import. */
export interface OperatorOptions {
  /** TestRun name, also the ConfigMap's prefix and the results subdirectory. */
  name: string;
  namespace: string;
  /** Runner pods. */
  parallelism: number;
  image: string;
  /** A PersistentVolumeClaim (ReadWriteMany) mounted at /results on every runner. */
  resultsClaim: string;
  cpu: string;
  memory: string;
}

/** The archive's file name inside the ConfigMap and the runner pods. */
export const ARCHIVE_FILE = 'archive.tar';
export const RESULTS_MOUNT = '/results';
export const DEFAULT_IMAGE = `grafana/k6:${K6_VERSION.replace(/^v/, '')}`;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$/;

/** Kubernetes names: DNS labels, short enough for the operator's `<name>-<i>-<hash>` pods. */
export function checkName(flag: string, raw: string): string {
  if (!DNS_LABEL.test(raw)) {
    throw new UserError(
      `${flag}: '${raw}' must be lower-case letters, digits and '-', 1-52 characters, ` +
        'starting and ending with a letter or digit',
    );
  }
  return raw;
}

export const configMapName = (o: Pick<OperatorOptions, 'name'>) => `${o.name}-script`;

/** The runner's k6 arguments; the operator adds the execution segment and the script. */
export function runnerArguments(o: Pick<OperatorOptions, 'name'>): string {
  return `--no-usage-report --include-system-env-vars=false --out csv --tag testid=${o.name}`;
}

export function configMap(o: OperatorOptions, archive: Buffer, load: unknown): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: configMapName(o),
      namespace: o.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'hunt-harness' },
    },
    data: { 'hunt-load.json': `${JSON.stringify(load, null, 2)}\n` },
    binaryData: { [ARCHIVE_FILE]: archive.toString('base64') },
  };
}

export function testRun(o: OperatorOptions): object {
  return {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: {
      name: o.name,
      namespace: o.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'hunt-harness' },
    },
    spec: {
      parallelism: o.parallelism,
      script: { configMap: { name: configMapName(o), file: ARCHIVE_FILE } },
      arguments: runnerArguments(o),
      runner: {
        image: o.image,
        env: [
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          // Kubernetes expands $(POD_NAME): one file per pod, so no two pods share one. Flat:
          // k6 does not create directories.
          { name: 'K6_CSV_FILENAME', value: `${RESULTS_MOUNT}/$(POD_NAME).csv.gz` },
          { name: 'K6_CSV_TIME_FORMAT', value: 'unix_milli' },
        ],
        // The k6 image runs as uid/gid 12345: the volume's files are made its group's.
        securityContext: { fsGroup: 12345 },
        volumeMounts: [{ name: 'results', mountPath: RESULTS_MOUNT }],
        volumes: [{ name: 'results', persistentVolumeClaim: { claimName: o.resultsClaim } }],
        resources: {
          requests: { cpu: o.cpu, memory: o.memory },
          limits: { cpu: o.cpu, memory: o.memory },
        },
      },
    },
  };
}

export const toYaml = (manifest: object) => stringify(manifest, { lineWidth: 0 });
