import type { BreakerView } from './breakers.ts';

export interface AlertThresholds {
  /** Whether HuntBacklogCritical is evaluated at all (design switch `backlogAlert`). */
  backlogAlert?: boolean;
  /** Backlog (accepted − delivered) at which HuntBacklogCritical becomes pending. */
  alertBacklog: number;
  /** Seconds the backlog must stay above it before the alert fires. */
  alertBacklogForS: number;
  /** Seconds a breaker must stay open before HuntBreakerOpen fires. */
  alertBreakerForS: number;
  /** Dead-lettered / delivered over the window above which HuntDlqRateHigh fires. */
  alertDlqRate: number;
  alertDlqWindowS: number;
}

export interface AlertInputs {
  backlog: number;
  breakers: Record<string, BreakerView>;
  dlqTotal: number;
  delivered: number;
}

export interface AlertView {
  name: string;
  labels: Record<string, string>;
  state: 'pending' | 'firing';
  /** When the condition became true (epoch ms). */
  activeSince: number;
  firedAt: number | null;
  summary: string;
}

/** Sends Alertmanager-format alerts (POST /api/v2/alerts body) somewhere. */
export type AlertSink = (alerts: AlertmanagerAlert[]) => void;
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL: string;
}

/**
 * The engine's own alert evaluation, once a second, mirroring engine/alerts.rules.yml:
 * a condition must hold for its `for` duration before it fires; firing and resolving are
 * logged, shown in /status and hunt_alerts_firing, and sent to the webhook.
 */
export class AlertEvaluator {
  private readonly active = new Map<string, AlertView>();
  private readonly dlqWindow: { t: number; dlq: number; delivered: number }[] = [];

  constructor(
    private readonly th: AlertThresholds,
    private readonly sink: AlertSink,
    private readonly log: (msg: string, f?: Record<string, unknown>) => void,
    private readonly generatorURL: string,
  ) {}

  tick(now: number, x: AlertInputs): void {
    const want = new Map<
      string,
      { name: string; labels: Record<string, string>; forS: number; summary: string }
    >();
    if (this.th.backlogAlert !== false && x.backlog >= this.th.alertBacklog) {
      want.set('HuntBacklogCritical', {
        name: 'HuntBacklogCritical',
        labels: {},
        forS: this.th.alertBacklogForS,
        summary: `backlog ${x.backlog} ≥ ${this.th.alertBacklog} events`,
      });
    }
    for (const [breaker, v] of Object.entries(x.breakers)) {
      if (v.state === 'closed') continue;
      want.set(`HuntBreakerOpen/${breaker}`, {
        name: 'HuntBreakerOpen',
        labels: { breaker },
        forS: this.th.alertBreakerForS,
        summary: `breaker ${breaker} is ${v.state}`,
      });
    }
    const rate = this.dlqRate(now, x);
    if (rate !== null && rate > this.th.alertDlqRate) {
      want.set('HuntDlqRateHigh', {
        name: 'HuntDlqRateHigh',
        labels: {},
        forS: 0,
        summary: `DLQ rate ${(rate * 100).toFixed(2)}% > ${(this.th.alertDlqRate * 100).toFixed(2)}%`,
      });
    }

    const changed: AlertmanagerAlert[] = [];
    for (const [key, w] of want) {
      let a = this.active.get(key);
      if (!a) {
        a = {
          name: w.name,
          labels: w.labels,
          state: 'pending',
          activeSince: now,
          firedAt: null,
          summary: w.summary,
        };
        this.active.set(key, a);
      }
      a.summary = w.summary;
      if (a.state === 'pending' && now - a.activeSince >= w.forS * 1000) {
        a.state = 'firing';
        a.firedAt = now;
        this.log('alert firing', { alert: a.name, ...a.labels, summary: a.summary });
        changed.push(this.toAm(a));
      }
    }
    for (const [key, a] of this.active) {
      if (want.has(key)) continue;
      this.active.delete(key);
      if (a.state === 'firing') {
        this.log('alert resolved', { alert: a.name, ...a.labels });
        changed.push({ ...this.toAm(a), endsAt: new Date(now).toISOString() });
      }
    }
    if (changed.length > 0) this.sink(changed);
  }

  view(): AlertView[] {
    return [...this.active.values()].map((a) => ({ ...a, labels: { ...a.labels } }));
  }

  /** Alert name → firing, for every alert this evaluator knows. */
  firing(): Record<string, boolean> {
    const out: Record<string, boolean> = {
      HuntBacklogCritical: false,
      HuntBreakerOpen: false,
      HuntDlqRateHigh: false,
    };
    for (const a of this.active.values()) if (a.state === 'firing') out[a.name] = true;
    return out;
  }

  private dlqRate(now: number, x: AlertInputs): number | null {
    this.dlqWindow.push({ t: now, dlq: x.dlqTotal, delivered: x.delivered });
    while (
      this.dlqWindow.length > 1 &&
      this.dlqWindow[0]!.t < now - this.th.alertDlqWindowS * 1000
    ) {
      this.dlqWindow.shift();
    }
    const first = this.dlqWindow[0]!;
    const delivered = x.delivered - first.delivered;
    // Too few events say nothing about a rate.
    if (delivered < 20) return null;
    return (x.dlqTotal - first.dlq) / delivered;
  }

  private toAm(a: AlertView): AlertmanagerAlert {
    return {
      labels: { alertname: a.name, service: 'hunt-engine', severity: 'critical', ...a.labels },
      annotations: { summary: a.summary },
      startsAt: new Date(a.firedAt ?? a.activeSince).toISOString(),
      generatorURL: this.generatorURL,
    };
  }
}

/** Posts alerts to an Alertmanager-compatible webhook; failures are logged, never thrown. */
export function webhookSink(
  url: string | undefined,
  log: (msg: string, f?: Record<string, unknown>) => void,
): AlertSink {
  if (!url) return () => {};
  return (alerts) => {
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
      signal: AbortSignal.timeout(2000),
    })
      .then((r) => r.body?.cancel())
      .catch((e: Error) => log('alert webhook failed', { url, error: e.message }));
  };
}
