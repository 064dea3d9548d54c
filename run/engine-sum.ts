/**
 * The engine's status of a system of several instances behind one balancer
 * (`--producers N`), as one: what they accepted, shed, delivered, dead-lettered and hold
 * queued is the sum of each instance's. Only the instances that consume know the broker's
 * lag, so it is theirs; one of them not knowing it makes it unknown.
 */
import type { AlertView, BreakerView, EngineStatus } from '../engine/status.ts';

type Json = unknown;

/**
 * Counts added field by field: numbers summed, a null in any instance null (unknown), flags
 * true when any is; a key one instance lacks (a reason it never saw) adds nothing.
 */
export function addCounts(a: Json, b: Json): Json {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a || b;
  if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, Json> = {};
    const x = a as Record<string, Json>;
    const y = b as Record<string, Json>;
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) out[k] = addCounts(x[k], y[k]);
    return out;
  }
  return a;
}

const SEVERITY: Record<BreakerView['state'], number> = {
  closed: 0,
  'half-open': 1,
  open: 2,
  isolated: 3,
};

/** A breaker of several instances: the state of the worst, opens and open time summed. */
function mergeBreakers(all: Record<string, BreakerView>[]): Record<string, BreakerView> {
  const out: Record<string, BreakerView> = {};
  for (const breakers of all) {
    for (const [name, b] of Object.entries(breakers)) {
      const seen = out[name];
      if (!seen) {
        out[name] = { ...b };
        continue;
      }
      const worse = SEVERITY[b.state] > SEVERITY[seen.state];
      out[name] = {
        state: worse ? b.state : seen.state,
        opens: seen.opens + b.opens,
        openMs: seen.openMs + b.openMs,
        since: worse ? b.since : seen.since,
      };
    }
  }
  return out;
}

/** One alert per name and labels: firing when any instance's fires, active since the earliest. */
function mergeAlerts(all: AlertView[][]): AlertView[] {
  const out = new Map<string, AlertView>();
  for (const a of all.flat()) {
    const key = `${a.name}${JSON.stringify(a.labels)}`;
    const seen = out.get(key);
    if (!seen || (a.state === 'firing' && seen.state !== 'firing')) out.set(key, { ...a });
    else if (a.activeSince < seen.activeSince) seen.activeSince = a.activeSince;
  }
  return [...out.values()];
}

/** The consuming instances' lag (their worst); unknown when none consumes or one cannot tell. */
function brokerLag(all: EngineStatus[]): EngineStatus['backlog']['broker'] {
  const consuming = all.filter((s) => s.consuming !== false);
  if (consuming.length === 0) return null;
  let out: EngineStatus['backlog']['broker'] = null;
  for (const s of consuming) {
    const lag = s.backlog.broker;
    if (lag === null || lag.value === null) return lag ?? null;
    if (out === null || (out.value !== null && lag.value > out.value)) out = { ...lag };
  }
  return out;
}

/**
 * Several instances' statuses as one (the first, the consuming one, names the run, topic
 * and design); one status is returned as it is.
 */
export function sumStatuses(all: EngineStatus[]): EngineStatus {
  if (all.length === 0) throw new Error('no engine status to sum');
  if (all.length === 1) return all[0]!;
  const first = all[0]!;
  const out: Record<string, Json> = { ...first };
  // Sections a newer engine adds (its own counters) are summed like the counts.
  for (const [k, v] of Object.entries(first)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      out[k] = all.slice(1).reduce((acc: Json, s) => addCounts(acc, (s as never)[k]), v);
  }
  const backlog = out.backlog as EngineStatus['backlog'];
  const counts = out.counts as EngineStatus['counts'];
  // Each instance clamps its own accepted − delivered at 0, and the consuming one delivers
  // what the others accepted: the system's backlog comes from the summed counts.
  backlog.events = Math.max(0, counts.accepted - counts.delivered);
  return {
    ...(out as unknown as EngineStatus),
    state: all.some((s) => s.state === 'stopping') ? 'stopping' : 'running',
    consuming: all.some((s) => s.consuming !== false),
    startedAt: Math.min(...all.map((s) => s.startedAt)),
    now: Math.max(...all.map((s) => s.now)),
    switches: first.switches,
    backlog: { ...backlog, broker: brokerLag(all) },
    breakers: mergeBreakers(all.map((s) => s.breakers)),
    alerts: mergeAlerts(all.map((s) => s.alerts)),
  };
}
