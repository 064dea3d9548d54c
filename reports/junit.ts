/** JUnit XML: one test case per budget per run, as CI systems display it. */
import { escapeXml as x } from './escape.ts';

export interface JUnitCase {
  suite: string;
  name: string;
  failure: string | null;
}

export function junitXml(name: string, cases: JUnitCase[]): string {
  const suites = new Map<string, JUnitCase[]>();
  for (const c of cases) suites.set(c.suite, [...(suites.get(c.suite) ?? []), c]);
  const failures = cases.filter((c) => c.failure !== null).length;
  const body = [...suites]
    .map(([suite, list]) => {
      const failed = list.filter((c) => c.failure !== null).length;
      const tcs = list
        .map((c) =>
          c.failure === null
            ? `    <testcase classname="${x(suite)}" name="${x(c.name)}"/>`
            : `    <testcase classname="${x(suite)}" name="${x(c.name)}">\n      <failure message="${x(c.failure)}">${x(c.failure)}</failure>\n    </testcase>`,
        )
        .join('\n');
      return `  <testsuite name="${x(suite)}" tests="${list.length}" failures="${failed}" errors="0">\n${tcs}\n  </testsuite>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${x(name)}" tests="${cases.length}" failures="${failures}" errors="0">\n${body}\n</testsuites>\n`;
}
