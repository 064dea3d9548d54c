/**
 * What really happened: one ChaosEvent per step with the seconds (since the run's start) at
 * which its fault was applied and removed, and any error. Written as chaos.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ChaosEvent, ChaosRecord, SCHEMA_VERSION } from '../contract/schema.ts';
import type { ResolvedStep } from './plan.ts';

export class ChaosRecorder {
  private readonly events = new Map<number, ChaosEvent>();
  private plan = '';
  private startedAt = '';

  /** Called on every change, e.g. by the collector to put active faults on the timeline. */
  constructor(private readonly onChange?: (recorder: ChaosRecorder) => void) {}

  begin(plan: string, startedAt: number, steps: ResolvedStep[]): void {
    this.plan = plan;
    this.startedAt = new Date(startedAt).toISOString();
    for (const s of steps) {
      this.events.set(s.index, {
        step: s.index,
        label: s.label,
        kind: s.kind,
        target: s.target,
        plannedAtS: s.at,
        plannedForS: s.for,
        appliedAtS: null,
        removedAtS: null,
        error: null,
      });
    }
    this.onChange?.(this);
  }

  /** A step that could not even be resolved (e.g. `broker` on the memory backend). */
  unresolved(event: ChaosEvent): void {
    this.events.set(event.step, event);
    this.onChange?.(this);
  }

  applied(step: number, atS: number): void {
    this.update(step, { appliedAtS: round(atS) });
  }

  removed(step: number, atS: number): void {
    this.update(step, { removedAtS: round(atS) });
  }

  failed(step: number, what: 'apply' | 'remove', err: unknown): void {
    const message = `${what}: ${err instanceof Error ? err.message : String(err)}`;
    const prior = this.events.get(step)?.error;
    this.update(step, { error: prior ? `${prior}; ${message}` : message });
  }

  /** Labels of faults in force now. */
  active(): string[] {
    return [...this.events.values()]
      .filter((e) => e.appliedAtS !== null && e.removedAtS === null)
      .map((e) => e.label);
  }

  errors(): ChaosEvent[] {
    return [...this.events.values()].filter((e) => e.error !== null);
  }

  toRecord(): ChaosRecord {
    return ChaosRecord.parse({
      schema: SCHEMA_VERSION,
      plan: this.plan,
      startedAt: this.startedAt,
      events: [...this.events.values()].sort((a, b) => a.step - b.step),
    });
  }

  /** Writes `<dir>/chaos.json`. */
  write(dir: string): string {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'chaos.json');
    writeFileSync(file, `${JSON.stringify(this.toRecord(), null, 2)}\n`);
    return file;
  }

  private update(step: number, patch: Partial<ChaosEvent>): void {
    const event = this.events.get(step);
    if (!event) return;
    Object.assign(event, patch);
    this.onChange?.(this);
  }
}

function round(s: number): number {
  return Math.max(0, Math.round(s * 1000) / 1000);
}
