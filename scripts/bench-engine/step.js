// One step of the engine benchmark: a constant arrival rate (open model) of writes for a
// fixed time. RATE, DURATION, BASE_URL and OUT come from the environment (scripts/bench-engine/run.ts).
import http from 'k6/http';

export const options = {
  discardResponseBodies: true,
  summaryTrendStats: ['p(50)', 'p(99)', 'max'],
  scenarios: {
    step: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE),
      timeUnit: '1s',
      duration: __ENV.DURATION,
      preAllocatedVUs: Number(__ENV.VUS ?? 100),
      maxVUs: 400,
    },
  },
};

const base = __ENV.BASE_URL;
const params = {
  headers: { 'content-type': 'application/json' },
  responseCallback: http.expectedStatuses(202),
};

export default function () {
  const n = Math.floor(Math.random() * 1e9);
  const huntId = `h${(n % 2) + 1}`;
  if (n % 2 === 0) {
    http.post(
      `${base}/hunts/${huntId}/players`,
      JSON.stringify({ playerId: `p${n}`, displayName: `Spieler ${n}` }),
      params,
    );
  } else {
    http.post(
      `${base}/orders`,
      JSON.stringify({ playerId: `p${n}`, huntId: 'h1', treasureId: 't2', priceCents: 250 }),
      params,
    );
  }
}

export function handleSummary(data) {
  return { [__ENV.OUT]: JSON.stringify(data) };
}
