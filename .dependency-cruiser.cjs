/**
 * The layers, kept by a tool (npm run check). A folder imports its own layer and lower ones;
 * nothing imports a higher layer, nothing imports in a circle, and only tests import test
 * support (testkit/, test/). docs/architecture.md draws the same picture.
 *
 * Bottom up: common < contract < analysis < stack < engine < chaos < drivers/<broker> <
 * drivers/registry < system (the stack, the engine and chaos assembled from the drivers) <
 * reports < run < cli, scripts. scenarios/lib is k6 code:
 * it imports only common/, contract/ and itself; scenarios/lib-node sits with stack/.
 */
const LAYERS = [
  ['common', '^common/'],
  ['contract', '^contract/'],
  ['analysis', '^analysis/'],
  ['k6', '^scenarios/(lib/|[^/]+\\.ts$)'],
  ['stack', '^(stack|scenarios/lib-node)/'],
  ['engine', '^engine/'],
  ['chaos', '^chaos/'],
  ['driver', '^drivers/([^/]+/|types\\.ts$)'],
  ['drivers', '^drivers/(registry|descriptions)\\.ts$'],
  ['system', '^system/'],
  ['reports', '^reports/'],
  ['run', '^run/'],
  ['top', '^(cli|scripts|bin)/'],
];

/** One rule per layer: it may not import any layer above it. */
const upward = LAYERS.slice(0, -1).map(([name, path], i) => ({
  name: `no-upward-from-${name}`,
  comment: `${name} imports only its own layer and those below it`,
  severity: 'error',
  from: { path, pathNot: '\\.test\\.ts$' },
  to: { path: LAYERS.slice(i + 1).map(([, p]) => p) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'files that import each other in a loop',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    {
      name: 'no-driver-to-driver',
      comment: 'a driver folder stands alone: one broker never imports another',
      severity: 'error',
      from: { path: '^drivers/([^/]+)/' },
      to: { path: '^drivers/[^/]+/', pathNot: '^drivers/$1/' },
    },
    {
      name: 'reports-load-no-broker-client',
      comment:
        'a report or gate reads results only: it takes a broker from drivers/descriptions.ts, never a driver with its clients',
      severity: 'error',
      from: { path: '^(reports/|cli/commands/(report|gate)\\.ts$)', pathNot: '\\.test\\.ts$' },
      to: { path: '^drivers/(registry|[^/]+/driver)\\.ts$', reachable: true },
    },
    {
      name: 'k6-imports-no-node-side',
      comment: 'k6 scripts run in k6: they import common/, contract/ and scenarios/lib only',
      severity: 'error',
      from: { path: '^scenarios/(lib/|[^/]+\\.ts$)', pathNot: '\\.test\\.ts$' },
      to: { pathNot: '^(common/|contract/|scenarios/lib/|k6(/|$))' },
    },
    {
      name: 'no-test-support-in-product',
      comment: 'testkit/ and test/ are imported by tests (and testkit) only',
      severity: 'error',
      from: { pathNot: '(\\.test\\.ts$|^testkit/|^test/)' },
      to: { path: '^(testkit|test)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^node_modules/|^results/|^reports/client/|^reports/vendor/)' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'] },
  },
};
