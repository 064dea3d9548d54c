/**
 * The engine client as a polite real client behaves: on a shed 503 it waits for
 * Retry-After and tries again, a bounded number of times (RETRIES; 0 gives raw shed counts).
 *
 * k6 is the audit's witness. Every write carries a fresh event id in its `Event-Id` header
 * (the same id on each retry of one write), and the id rides on every sample of the request
 * as k6 metadata (`event_id`), so k6's own sample output records which ids were answered
 * 202 and which were not. The audit's accepted set is the ids k6 saw a 202 for.
 *
 * Metrics, all per HTTP answer unless noted:
 *   hunt_accepted    202s (one per request that got through)
 *   hunt_shed        503s whose body says shed, tagged by `reason`; the engine's own shed count
 *   hunt_shed_rate   shed / (202 + shed): the shed_rate budget
 *   hunt_retried     retries sent after a shed
 *   hunt_abandoned   writes still shed after their last retry (what a user would see)
 *   hunt_rejected    4xx: a client or contract bug, since even poison is valid at the API
 *   hunt_errors      anything else: transport errors, 504s, 5xx (a 503 that is not a shed)
 *   hunt_error_rate  (rejected + errors) / answers: the error_rate budget
 */
import { sleep } from 'k6';
import exec from 'k6/execution';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
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
const errorRate = new Rate('hunt_error_rate');

// Only a 202 is a success to k6's own http_req_failed; sheds are told apart by their body.
http.setResponseCallback(http.expectedStatuses(200, 202));

/** The request header that carries the event id, and the k6 metadata key it rides under. */
export const EVENT_ID_HEADER = 'Event-Id';
export const EVENT_ID_METADATA = 'event_id';
/** An order's treasure, so that a failed sale can be valued at the catalogue's price. */
export const TREASURE_ID_METADATA = 'treasure_id';

let loggedRejections = 0;
// Each read of exec.vu builds new objects in k6; the metadata object writes to the VU's
// live tags, so one per VU serves every request.
let metadata: typeof exec.vu.metrics.metadata | undefined;

/** The shed reason of a 503, or null when the 503 is something else (broker unavailable). */
export function shedReason(status: number, body: string | null): string | null {
  if (status !== 503 || !body) return null;
  try {
    const parsed = JSON.parse(body) as { error?: unknown; reason?: unknown };
    return parsed.error === 'shed' && typeof parsed.reason === 'string' ? parsed.reason : null;
  } catch {
    return null;
  }
}

export function send(p: Planned, cfg: Config): void {
  const tags = { name: p.route, kind: p.kind, poison: p.poison ?? 'none' };
  const id = crypto.randomUUID();
  const params = {
    headers: { 'Content-Type': 'application/json', [EVENT_ID_HEADER]: id },
    tags,
  };
  const body = JSON.stringify(p.body);
  const url = cfg.baseUrl + p.path;
  metadata ??= exec.vu.metrics.metadata;
  const meta = metadata;
  meta[EVENT_ID_METADATA] = id;
  const treasure = p.kind === 'order' ? p.body.treasureId : undefined;
  if (treasure !== undefined) meta[TREASURE_ID_METADATA] = String(treasure);
  try {
    for (let attempt = 0; ; attempt++) {
      const res = http.post(url, body, params);
      if (!answered(res, tags, p.route)) return;
      if (attempt >= cfg.retries) {
        abandoned.add(1, tags);
        return;
      }
      retried.add(1, tags);
      sleep(retryDelayS(res.headers['Retry-After'], cfg.retryAfterMaxS));
    }
  } finally {
    delete meta[EVENT_ID_METADATA];
    if (treasure !== undefined) delete meta[TREASURE_ID_METADATA];
  }
}

/** Counts one answer; true when it was a shed, which a polite client retries. */
function answered(
  res: RefinedResponse<ResponseType | undefined>,
  tags: Record<string, string>,
  route: string,
): boolean {
  if (res.status === 202) {
    accepted.add(1, tags);
    shedRate.add(false, tags);
    errorRate.add(false, tags);
    return false;
  }
  const reason = shedReason(res.status, res.body as string | null);
  if (reason !== null) {
    shed.add(1, { ...tags, reason });
    shedRate.add(true, tags);
    errorRate.add(false, tags);
    return true;
  }
  errorRate.add(true, tags);
  if (res.status >= 400 && res.status < 500) {
    rejected.add(1, { ...tags, status: String(res.status) });
    // A few bodies name the contract mismatch; thousands would drown the log.
    if (loggedRejections++ < 3) {
      console.warn(`hunt: ${route} answered ${res.status}: ${String(res.body).slice(0, 200)}`);
    }
    return false;
  }
  errors.add(1, { ...tags, status: String(res.status) });
  return false;
}

/**
 * Retry-After in whole seconds (the engine's form), capped; up to 20% jitter so that
 * clients shed together do not all come back in the same millisecond.
 */
export function retryDelayS(header: string | undefined, maxS: number): number {
  const s = header !== undefined && /^\d+$/.test(header.trim()) ? Number(header) : 1;
  return Math.min(maxS, Math.max(s, 0.1)) * (1 + Math.random() * 0.2);
}
