import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { TopicReadBack } from '../../contract/fidelity-schema.ts';
import { loadFidelityProfile } from '../../run/fidelity.ts';
import { replicationDimension } from './fidelity.ts';
import { readTopicReplication } from './replication-readback.ts';

const threeAz = loadFidelityProfile('kafka-3az').profile.kafka;
const read = (rf: number | null, isr: number | null, error: string | null = null) =>
  ({ topic: 'hunt-r', replicationFactor: rf, minInsyncReplicas: isr, error }) as TopicReadBack;

describe("replication, graded by the run's topic as the broker reports it", () => {
  it('is real when the topic has at least the profile RF and its min.insync.replicas', () => {
    expect(replicationDimension(threeAz, read(3, 2))).toMatchObject({ level: 'real' });
    expect(replicationDimension(threeAz, read(3, 2)).note).toMatch(
      /RF 3, min.insync.replicas 2.*topic hunt-r read back: RF 3, min.insync.replicas 2/,
    );
    // More replicas than asked still carry the profile's guarantee.
    expect(replicationDimension(threeAz, read(4, 2)).level).toBe('real');
  });

  it('is absent, saying what it found, when the topic has fewer replicas or another min.insync.replicas', () => {
    const one = replicationDimension(threeAz, read(1, 1));
    expect(one.level).toBe('absent');
    expect(one.note).toMatch(
      /read back: RF 1, min.insync.replicas 1: RF 1 < 3, min.insync.replicas 1, not 2/,
    );
    expect(replicationDimension(threeAz, read(3, 1))).toMatchObject({
      level: 'absent',
      note: expect.stringMatching(/min.insync.replicas 1, not 2$/),
    });
    // A stricter min.insync.replicas is not the profile's either: writes fail sooner.
    expect(replicationDimension(threeAz, read(3, 3)).level).toBe('absent');
    expect(replicationDimension(threeAz, read(2, 2)).note).toMatch(/RF 2 < 3$/);
  });

  it('is unknown, never real, when the read-back failed or left a figure out', () => {
    expect(replicationDimension(threeAz, read(null, null, 'no answer within 15 s'))).toMatchObject({
      level: 'unknown',
      note: expect.stringMatching(/not read back from the broker \(no answer within 15 s\)/),
    });
    expect(replicationDimension(threeAz, read(3, null)).level).toBe('unknown');
    expect(replicationDimension(threeAz, read(3, 2, 'half read')).level).toBe('unknown');
  });

  it('is absent where the profile asks no replication, with what the broker had', () => {
    const d = replicationDimension(undefined, read(1, 1));
    expect(d.level).toBe('absent');
    expect(d.note).toMatch(
      /read back: RF 1, min.insync.replicas 1: the profile asks no replication/,
    );
  });
});

describe('reading the topic back', () => {
  it('gives up on a broker that accepts and never answers, with the reason', async () => {
    const sockets: Socket[] = [];
    const server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      const r = await readTopicReplication([port], 'hunt-r', 500);
      expect(r).toMatchObject({
        topic: 'hunt-r',
        replicationFactor: null,
        minInsyncReplicas: null,
      });
      expect(r.error).toEqual(expect.any(String));
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});
