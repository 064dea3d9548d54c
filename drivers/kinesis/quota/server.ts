/**
 * The quota layer's HTTP face: Kinesis API calls (JSON 1.1, `X-Amz-Target`) go to the
 * QuotaLayer and on to the upstream (kinesalite); anything it does not handle, including CBOR,
 * is forwarded byte for byte. On the same port, the admin routes:
 *   GET /quota            -> {"mode":"on","multiplier":1}
 *   PUT /quota  {"mode":"on","multiplier":0.5}, {"mode":"lie","share":0.2}, or text
 *               `off` | `on` | `0.5` | `lie 0.2`
 *                         -> {"previous":{...},"current":{...}}
 *               a JSON body may carry `model` (model.ts): the service model, answered likewise
 *   GET /quota/stats      -> what the model delivered: per-op latency, propagation (observed.ts)
 *   GET /metrics          -> Prometheus text (throttled records by op and stream)
 */
import { randomUUID } from 'node:crypto';
import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Registry } from 'prom-client';
import { parseServiceModel, type ServiceModel } from '../../../contract/service-model.ts';
import type { Answer, QuotaLayer } from './layer.ts';
import { parseQuotaMode, type QuotaMode, quotaModeOf } from './limits.ts';

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : undefined);

const JSON_11 = 'application/x-amz-json-1.1';
/** A PutRecords of 5 MiB is ~7 MiB of JSON; larger requests are refused. */
const MAX_REQUEST = 12 * 1024 * 1024;
/** kinesalite answers GetRecords with up to 10,000 records whatever their size; the layer cuts to 10 MiB. */
const MAX_RESPONSE = 128 * 1024 * 1024;
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

export interface QuotaServerOptions {
  layer: QuotaLayer;
  registry: Registry;
  /** e.g. http://127.0.0.1:4567 */
  upstream: string;
}

export function createQuotaServer(opts: QuotaServerOptions): Server {
  const up = new URL(opts.upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  const forward = (req: IncomingMessage, body: Buffer, headers = req.headers) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>(
      (resolve, reject) => {
        const h: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP.has(k)) h[k] = v;
        h['content-length'] = String(body.length);
        const r = request(
          {
            host: up.hostname,
            port: up.port,
            path: req.url,
            method: req.method,
            headers: h,
            agent,
          },
          (res) => {
            readBody(res, MAX_RESPONSE).then(
              (b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }),
              reject,
            );
          },
        );
        r.on('error', reject);
        r.end(body);
      },
    );

  return createServer(async (req, res) => {
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/metrics' && req.method === 'GET') {
        return send(res, 200, await opts.registry.metrics(), opts.registry.contentType);
      }
      if (path === '/quota/stats' && req.method === 'GET') {
        const stats = { model: opts.layer.model(), ...opts.layer.observed.summary() };
        return send(res, 200, JSON.stringify(stats), 'application/json');
      }
      if (path === '/quota') return await admin(req, res, opts.layer);
      const body = await readBody(req, MAX_REQUEST);
      const target = String(req.headers['x-amz-target'] ?? '');
      const op = target.split('.')[1];
      const json = String(req.headers['content-type'] ?? '').startsWith(JSON_11)
        ? tryJson(body)
        : undefined;
      // The call is handled at once and answered no sooner than the model's latency after it
      // arrived: a write is stored (readable) before its acknowledgement, a read answers what
      // was there when it arrived, and the emulator's own time counts towards the latency.
      const started = performance.now();
      const delay = op ? opts.layer.delayFor(op) : 0;
      const observe = async (a: Answer) => {
        if (op) opts.layer.observed.handled(op, a.status, a.json, Date.now());
        await sleep(delay - (performance.now() - started));
        if (op)
          opts.layer.observed.answered(
            op,
            a.status,
            a.json,
            performance.now() - started,
            Date.now(),
          );
      };
      if (op && json) {
        const call = async (operation: string, payload: object) => {
          const headers = { ...req.headers, 'x-amz-target': `Kinesis_20131202.${operation}` };
          const r = await forward(req, Buffer.from(JSON.stringify(payload)), headers);
          return { status: r.status, json: tryJson(r.body) ?? {} };
        };
        const answer = await opts.layer.handle(op, json, call);
        if (answer !== 'pass') {
          await observe(answer);
          return sendAnswer(res, answer);
        }
      }
      const r = await forward(req, body);
      await observe({ status: r.status, json: (op && json && tryJson(r.body)) || {} });
      const h: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(r.headers)) if (v !== undefined && !HOP.has(k)) h[k] = v;
      res.writeHead(r.status, { ...h, 'content-length': String(r.body.length) }).end(r.body);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      sendAnswer(res, {
        status: 500,
        json: { __type: 'InternalFailure', message: `quota layer: ${message}` },
      });
    }
  });
}

async function admin(req: IncomingMessage, res: ServerResponse, layer: QuotaLayer): Promise<void> {
  const current = () => ({ ...layer.mode(), model: layer.model() });
  if (req.method === 'GET') return send(res, 200, JSON.stringify(current()), 'application/json');
  if (req.method !== 'PUT' && req.method !== 'POST')
    return send(res, 405, 'GET or PUT\n', 'text/plain');
  const text = (await readBody(req, MAX_REQUEST)).toString('utf8').trim();
  let mode: QuotaMode;
  let model: ServiceModel | undefined;
  try {
    const json = tryJson(Buffer.from(text));
    mode = json ? quotaModeOf(json) : parseQuotaMode(text);
    if (json?.model !== undefined) model = parseServiceModel(json.model);
  } catch (err) {
    return send(res, 400, `${(err as Error).message}\n`, 'text/plain');
  }
  // Setting the model in force again (a quota step's revert) keeps its limits and measurements.
  const same = model !== undefined && JSON.stringify(model) === JSON.stringify(layer.model());
  const previousModel = model && !same ? layer.setModel(model) : layer.model();
  const previous = { ...layer.setMode(mode), model: previousModel };
  send(res, 200, JSON.stringify({ previous, current: current() }), 'application/json');
}

function sendAnswer(res: ServerResponse, a: Answer): void {
  res.setHeader('x-amzn-requestid', randomUUID());
  if (a.status >= 400)
    res.setHeader('x-amzn-errortype', String((a.json as { __type?: string }).__type));
  send(res, a.status, JSON.stringify(a.json), JSON_11);
}

function send(res: ServerResponse, status: number, body: string, type: string): void {
  if (!res.headersSent) res.statusCode = status;
  res.setHeader('content-type', type);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

function readBody(stream: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) stream.destroy(new Error(`body over ${max} bytes`));
      else chunks.push(c);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function tryJson(b: Buffer): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(b.toString('utf8'));
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}
