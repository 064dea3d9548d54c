import { describe, expect, it } from 'vitest';
import { cpuRatio, stepFailures, stepRatios } from './verdict.ts';

const limits = { p99Ms: 50, errorRate: 0.001 };
const ok = { rate: 1000, p99: 20, errors: 0, dropped: 0, cpuUsPerEvent: 300 };

describe('stepFailures', () => {
  it('passes a step within every limit', () => {
    expect(stepFailures(ok, limits)).toEqual([]);
  });

  it('fails a step where k6 dropped even one iteration, however good its latency', () => {
    expect(stepFailures({ ...ok, dropped: 1 }, limits)).toEqual(['k6 dropped 1 iterations']);
  });

  it('names every reason at once', () => {
    expect(stepFailures({ ...ok, p99: 71.25, errors: 0.002, dropped: 230 }, limits)).toEqual([
      'p99 71.3 ms > 50 ms',
      'errors 0.20% ≥ 0.10%',
      'k6 dropped 230 iterations',
    ]);
  });

  it('fails closed on figures that were not measured', () => {
    expect(
      stepFailures(
        { ...ok, p99: Number.NaN, errors: Number.NaN, cpuUsPerEvent: Number.NaN },
        limits,
      ),
    ).toEqual(['p99 unknown', 'error rate unknown', 'engine CPU per event unknown']);
  });
});

describe('cpuRatio', () => {
  const steps = (cpu: Record<number, number>, failed: number[] = []) =>
    Object.entries(cpu).map(([rate, c]) => ({
      ...ok,
      rate: Number(rate),
      cpuUsPerEvent: c,
      pass: !failed.includes(Number(rate)),
    }));

  it('compares at the highest rate both sustained', () => {
    const kafka = steps({ 500: 400, 1000: 300, 1500: 280 }, [1500]);
    const memory = steps({ 500: 300, 1000: 250, 1500: 200 });
    expect(cpuRatio(kafka, memory)).toEqual({
      rate: 1000,
      ratio: 1.2,
      numerator: 300,
      denominator: 250,
    });
  });

  it('at a named rate, only when both sustained it', () => {
    const kafka = steps({ 500: 450, 1000: 300 }, [1000]);
    const memory = steps({ 500: 300, 1000: 250 });
    expect(cpuRatio(kafka, memory, 500)?.ratio).toBe(1.5);
    expect(cpuRatio(kafka, memory, 1000)).toBeNull();
    expect(cpuRatio(steps({ 500: 1 }, [500]), memory)).toBeNull();
  });
});

describe('stepRatios', () => {
  it('gives the ratio at every rate both ran, sustained only where both steps passed', () => {
    const step = (rate: number, cpu: number, pass: boolean) => ({
      ...ok,
      rate,
      cpuUsPerEvent: cpu,
      pass,
    });
    const kafka = [step(500, 450, true), step(1000, 400, false), step(1500, 300, false)];
    const memory = [step(500, 300, true), step(1000, 200, true), step(2000, 1, true)];
    expect(stepRatios(kafka, memory)).toEqual([
      { rate: 500, ratio: 1.5, sustained: true },
      { rate: 1000, ratio: 2, sustained: false },
    ]);
    expect(stepRatios([step(500, Number.NaN, false)], memory)).toEqual([]);
  });
});
