import { describe, expect, it } from 'vitest';
import { DEFAULT_MIX, parseBaseUrl, parseDurationS, parseMix, readConfig } from './env.ts';

describe('readConfig', () => {
  it('has a default for everything', () => {
    const cfg = readConfig({});
    expect(cfg).toMatchObject({
      baseUrl: 'http://127.0.0.1:8080',
      profile: 'flash-sale',
      seed: 1,
      scale: 1,
      durationS: undefined,
      rate: undefined,
      poisonRate: 0.005,
      retries: 2,
      results: undefined,
      budgets: 'budgets.yaml',
      data: 'data/default.json',
      mix: DEFAULT_MIX,
    });
  });

  it.each([
    ['SCALE', '0', /SCALE: expected a number above 0, got '0'/],
    ['SCALE', 'fast', /SCALE/],
    ['SEED', '-1', /SEED: expected a whole number/],
    ['SEED', '1.5', /SEED/],
    ['RETRIES', '11', /RETRIES: expected a whole number from 0 to 10/],
    ['POISON_RATE', '1.5', /POISON_RATE: expected a fraction from 0 to 1/],
    ['RATE', '', /RATE/],
    ['DURATION', '10', /DURATION: expected a duration like 90s/],
    ['PROFILE', ' ', /PROFILE: must not be empty/],
    ['MAX_VUS', '0', /MAX_VUS/],
  ])('%s=%s is refused with a message naming it', (name, value, message) => {
    expect(() => readConfig({ [name]: value })).toThrow(message);
  });

  it('reads every setting', () => {
    const cfg = readConfig({
      SEED: '7',
      SCALE: '0.5',
      DURATION: '1m30s',
      RATE: '12.5',
      POISON_RATE: '0',
      RETRIES: '0',
      HUNT_RESULTS: '/tmp/r',
      MAX_VUS: '40',
    });
    expect(cfg).toMatchObject({ seed: 7, scale: 0.5, durationS: 90, rate: 12.5, poisonRate: 0 });
    expect(cfg).toMatchObject({ retries: 0, results: '/tmp/r', maxVUs: 40 });
  });
});

describe('parseBaseUrl', () => {
  it('accepts loopback targets and drops a trailing slash', () => {
    expect(parseBaseUrl('http://localhost:9000/', false)).toBe('http://localhost:9000');
    expect(parseBaseUrl('http://127.0.0.2', false)).toBe('http://127.0.0.2');
    expect(parseBaseUrl('http://[::1]:8080', false)).toBe('http://[::1]:8080');
  });
  it('refuses a remote target unless ALLOW_REMOTE=1', () => {
    expect(() => parseBaseUrl('https://shop.example.com', false)).toThrow(/ALLOW_REMOTE=1/);
    expect(parseBaseUrl('https://shop.example.com', true)).toBe('https://shop.example.com');
    expect(() => readConfig({ BASE_URL: 'http://10.1.2.3:8080' })).toThrow(/not a loopback/);
    expect(readConfig({ BASE_URL: 'http://10.1.2.3:8080', ALLOW_REMOTE: '1' }).baseUrl).toBe(
      'http://10.1.2.3:8080',
    );
  });
  it('refuses a path or a scheme other than http(s)', () => {
    expect(() => parseBaseUrl('http://127.0.0.1:8080/api', false)).toThrow(/no path/);
    expect(() => parseBaseUrl('ftp://127.0.0.1', false)).toThrow(/BASE_URL/);
  });
});

describe('parseDurationS', () => {
  it('reads k6 durations', () => {
    expect(parseDurationS('D', '90s')).toBe(90);
    expect(parseDurationS('D', '2m30s')).toBe(150);
    expect(parseDurationS('D', '1h')).toBe(3600);
    expect(parseDurationS('D', '500ms')).toBe(0.5);
  });
  it('refuses zero and junk', () => {
    expect(() => parseDurationS('D', '0s')).toThrow(/above zero/);
    expect(() => parseDurationS('D', '5 minutes')).toThrow(/D: expected a duration/);
  });
});

describe('parseMix', () => {
  it('takes weights and zeroes the kinds left out', () => {
    expect(parseMix('claim=3, order=1')).toEqual({ join: 0, clue: 0, claim: 3, order: 1 });
  });
  it('refuses unknown kinds, bad weights and an all-zero mix', () => {
    expect(() => parseMix('buy=1')).toThrow(/MIX: expected kind=weight/);
    expect(() => parseMix('claim=-1')).toThrow(/weight of claim/);
    expect(() => parseMix('claim=0')).toThrow(/all weights are 0/);
  });
});
