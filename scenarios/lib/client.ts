/**
 * The engine client as a polite real client behaves: on 503 it waits for Retry-After and
 * tries again, a bounded number of times (RETRIES; 0 gives raw shed counts).
 *
 * Metrics, all per HTTP answer unless noted:
 *   hunt_accepted   202s (one per request that got through)
 *   hunt_shed       503s, retried or not; matches the engine's own shed count
 *   hunt_shed_rate  503 / (202 + 503): the shed_rate budget
 *   hunt_retried    retries sent after a 503
 *   hunt_abandoned  requests still shed after their last retry (what a user would see)
 *   hunt_rejected   4xx: a client or contract bug, since even poison is valid at the API
 *   hunt_errors     anything else: transport errors, 5xx other than 503
 */
import { sleep } from 'k6';
import http from 'k6/http';
import { Counter, Rate } from 'k6/metrics';
import type { Config } from './env.ts';
import type { Planned } from './mix.ts';

const accepted = new Counter('hunt_accepted');
const shed = new Counter('hunt_shed');
const shedRate = new Rate('hunt_shed_rate');
const retried = new Counter('hunt_retried');
const abandoned = new Counter('hunt_abandoned');
const rejected = new Counter('hunt_rejected');
const errors = new Counter('hunt_errors');

// A 503 shed is the engine protecting itself, not a failure of the request; a 202 is success.
http.setResponseCallback(http.expectedStatuses(200, 202, 503));

const HEADERS = { 'Content-Type': 'application/json' };
let loggedRejections = 0;

export function send(p: Planned, cfg: Config): void {
  const tags = { name: p.route, kind: p.kind, poison: p.poison ?? 'none' };
  const body = JSON.stringify(p.body);
  const url = cfg.baseUrl + p.path;
  for (let attempt = 0; ; attempt++) {
    const res = http.post(url, body, { headers: HEADERS, tags });
    if (res.status === 202) {
      accepted.add(1, tags);
      shedRate.add(false, tags);
      return;
    }
    if (res.status === 503) {
      shed.add(1, tags);
      shedRate.add(true, tags);
      if (attempt >= cfg.retries) {
        abandoned.add(1, tags);
        return;
      }
      retried.add(1, tags);
      sleep(retryDelayS(res.headers['Retry-After'], cfg.retryAfterMaxS));
      continue;
    }
    if (res.status >= 400 && res.status < 500) {
      rejected.add(1, { ...tags, status: String(res.status) });
      // A few bodies name the contract mismatch; thousands would drown the log.
      if (loggedRejections++ < 3) {
        console.warn(`hunt: ${p.route} answered ${res.status}: ${String(res.body).slice(0, 200)}`);
      }
      return;
    }
    errors.add(1, { ...tags, status: String(res.status) });
    return;
  }
}

/**
 * Retry-After in whole seconds (the engine's form), capped; up to 20% jitter so that
 * clients shed together do not all come back in the same millisecond.
 */
export function retryDelayS(header: string | undefined, maxS: number): number {
  const s = header !== undefined && /^\d+$/.test(header.trim()) ? Number(header) : 1;
  return Math.min(maxS, Math.max(s, 0.1)) * (1 + Math.random() * 0.2);
}
