/**
 * handleSummary: k6's summary JSON into HUNT_RESULTS/k6-summary.json (the report and
 * `hunt gate` read it), and a short text summary on stdout. k6 prints its own text summary
 * only when handleSummary returns nothing, so the text is built here: thresholds first,
 * then what the harness cares about, and a loud line when the load generator fell behind.
 */
import { budgets, cfg } from './harness.ts';
import { SUMMARY_JSON_BEGIN, SUMMARY_JSON_END } from './summary-markers.ts';

interface MetricSummary {
  type: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}
interface SummaryData {
  metrics: Record<string, MetricSummary>;
  state?: { testRunDurationMs?: number };
}

const ACCEPTED_LATENCY = 'http_req_duration{status:202}';

export function handleSummary(data: SummaryData): Record<string, string> {
  if (cfg.summaryStderr) {
    const json = JSON.stringify(data);
    return {
      stderr: `${textSummary(data)}\n${SUMMARY_JSON_BEGIN}\n${json}\n${SUMMARY_JSON_END}\n`,
    };
  }
  const out: Record<string, string> = { stdout: textSummary(data) };
  if (cfg.results)
    out[`${cfg.results.replace(/\/$/, '')}/k6-summary.json`] = JSON.stringify(data, null, 2);
  return out;
}

export function textSummary(data: SummaryData): string {
  const m = data.metrics;
  const v = (name: string, key: string) => m[name]?.values[key] ?? 0;
  const lines: string[] = ['', '  hunt-harness k6 summary', ''];
  const failed: string[] = [];
  for (const [name, metric] of Object.entries(m)) {
    for (const [expr, t] of Object.entries(metric.thresholds ?? {})) {
      lines.push(`  ${t.ok ? 'ok  ' : 'FAIL'} ${name} ${expr}   (${describe(metric)})`);
      if (!t.ok) failed.push(`${name} ${expr}`);
    }
  }
  const seconds = (data.state?.testRunDurationMs ?? 0) / 1000;
  const accepted = v('hunt_accepted', 'count');
  lines.push(
    '',
    `  requests   ${v('http_reqs', 'count')} sent in ${seconds.toFixed(1)} s (${v('http_reqs', 'rate').toFixed(1)}/s)`,
    `  accepted   ${accepted} (${seconds > 0 ? (accepted / seconds).toFixed(1) : '0'}/s)`,
    `  shed       ${v('hunt_shed', 'count')} (rate ${pct(v('hunt_shed_rate', 'rate'))}), ` +
      `retried ${v('hunt_retried', 'count')}, abandoned ${v('hunt_abandoned', 'count')}`,
    `  rejected   ${v('hunt_rejected', 'count')}, errors ${v('hunt_errors', 'count')}, ` +
      `error rate ${pct(v('hunt_error_rate', 'rate'))}`,
    // The budgets' latency is that of accepted writes; k6 keeps it apart once a budget names it.
    m[ACCEPTED_LATENCY]
      ? `  latency    ${describe(m[ACCEPTED_LATENCY])} (202s)`
      : `  latency    ${describe(m.http_req_duration)} (all answers)`,
  );
  const dropped = v('dropped_iterations', 'count');
  if (dropped > 0) {
    // k6 drops an arrival when every VU is busy: either some answers were slow (the target
    // or the machine stalled) or there were simply too few VUs for the rate.
    const max = v('http_req_duration', 'max');
    const slow = max > 2 * (budgets.http_p99_ms ?? 500);
    lines.push(
      '',
      `  WARNING: k6 dropped ${dropped} arrivals (${v('vus_max', 'max')} VUs were all busy). ` +
        (slow
          ? `Answers took up to ${max.toFixed(0)} ms: the target (or this machine) stalled.`
          : 'The load generator limited the rate: raise MAX_VUS or lower SCALE.'),
    );
  }
  lines.push(
    '',
    failed.length === 0
      ? '  all budgets met'
      : `  budgets breached: ${failed.join('; ')} (k6 exits 99)`,
    cfg.results ? `  k6-summary.json written to ${cfg.results}` : '',
    '',
  );
  return lines.join('\n');
}

function describe(metric: MetricSummary | undefined): string {
  if (!metric) return 'no samples';
  const val = metric.values;
  switch (metric.type) {
    case 'trend':
      return ['med', 'p(90)', 'p(99)', 'p(99.9)', 'max']
        .filter((k) => val[k] !== undefined)
        .map((k) => `${k}=${val[k]!.toFixed(2)}ms`)
        .join(' ');
    case 'rate':
      return `rate=${pct(val.rate ?? 0)}`;
    case 'counter':
      return `count=${val.count ?? 0}`;
    default:
      return JSON.stringify(val);
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
