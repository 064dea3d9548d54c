/** The quota layer's Prometheus metrics (GET /metrics). */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { QuotaMode } from './limits.ts';

export class QuotaMetrics {
  readonly throttled: Counter<'op' | 'stream'>;
  readonly passed: Counter<'op' | 'stream'>;
  readonly lied: Counter<'op' | 'stream'>;

  constructor(registry: Registry, mode: () => QuotaMode) {
    const registers = [registry];
    this.throttled = new Counter({
      name: 'hunt_kinesis_quota_throttled_records_total',
      help: 'Records (PutRecords entries; PutRecord, GetRecords and GetShardIterator calls) refused as over quota',
      labelNames: ['op', 'stream'],
      registers,
    });
    this.passed = new Counter({
      name: 'hunt_kinesis_quota_passed_records_total',
      help: 'Records and calls let through while quotas were on',
      labelNames: ['op', 'stream'],
      registers,
    });
    this.lied = new Counter({
      name: 'hunt_kinesis_quota_lied_records_total',
      help: 'Records acknowledged with a fabricated sequence number and never written (lie mode)',
      labelNames: ['op', 'stream'],
      registers,
    });
    new Gauge({
      name: 'hunt_kinesis_quota_multiplier',
      help: 'Multiplier on AWS per-shard limits in force; 0 when quotas are off or lying',
      registers,
      collect() {
        const m = mode();
        this.set(m.mode === 'on' ? m.multiplier : 0);
      },
    });
  }
}
