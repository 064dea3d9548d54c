import { type Kafka, type LogEntry, logLevel, type Producer, type ProducerConfig } from 'kafkajs';
import { expect, test } from 'vitest';
import { IdempotentProducer, ThrottleWatch } from './producer.ts';

/** A kafkajs stand-in: each producer's sends fail while `failing` is set. */
function fakeKafka() {
  const made: { config: ProducerConfig; disconnected: boolean; sends: number }[] = [];
  let failing = false;
  /** Sends wait for these in turn (a send with none left goes straight on); true fails it. */
  const gates: Promise<boolean | undefined>[] = [];
  const kafka = {
    producer(config: ProducerConfig) {
      const p = { config, disconnected: false, sends: 0 };
      made.push(p);
      return {
        connect: async () => {},
        disconnect: async () => {
          p.disconnected = true;
        },
        send: async () => {
          p.sends++;
          if ((await gates.shift()) ?? failing) throw new Error('KafkaJSRequestTimeoutError');
          return [];
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  return {
    kafka,
    made,
    fail: (v: boolean) => {
      failing = v;
    },
    /** The next send waits until the returned function is called (with true: it fails). */
    hold: () => {
      let open!: (fail?: boolean) => void;
      gates.push(
        new Promise((r) => {
          open = r;
        }),
      );
      return open;
    },
  };
}

const rec = { key: 'k', value: Buffer.from('v'), ts: 1 };
const producer = (f: ReturnType<typeof fakeKafka>) =>
  new IdempotentProducer(
    f.kafka,
    async (p) => {
      await p.connect();
      return p;
    },
    (p) => p.disconnect(),
  );

test('the producer is idempotent with one request in flight', async () => {
  const f = fakeKafka();
  await producer(f).ready();
  expect(f.made[0]!.config).toMatchObject({ idempotent: true, maxInFlightRequests: 1 });
});

test('a failed send retires the producer: the next send gets a new producer id', async () => {
  const f = fakeKafka();
  const p = producer(f);
  await p.send('t', [rec]);
  f.fail(true);
  await expect(p.send('t', [rec])).rejects.toThrow(/Timeout/);
  f.fail(false);
  await expect(p.send('t', [rec])).resolves.toEqual([undefined]);
  expect(f.made.map((m) => m.sends)).toEqual([2, 1]);
  await new Promise((r) => setTimeout(r, 0));
  expect(f.made.map((m) => m.disconnected)).toEqual([true, false]);
});

test('one send at a time: a send waiting behind a failed one goes to a new producer', async () => {
  const f = fakeKafka();
  const p = producer(f);
  await p.ready();
  const first = f.hold();
  const a = p.send('t', [rec]).catch((e) => e);
  const b = p.send('t', [rec]);
  await new Promise((r) => setTimeout(r, 0));
  // The second send has not started while the first is under way.
  expect(f.made.map((m) => m.sends)).toEqual([1]);
  first(true);
  expect(await a).toBeInstanceOf(Error);
  await expect(b).resolves.toEqual([undefined]);
  // It never shared the failed batch's producer (and its rolled-back sequence numbers).
  expect(f.made.map((m) => m.sends)).toEqual([1, 1]);
  await new Promise((r) => setTimeout(r, 0));
  expect(f.made.map((m) => m.disconnected)).toEqual([true, false]);
});

const entry = (level: logLevel, message: string): LogEntry => ({
  namespace: 'RequestQueue',
  level,
  label: 'DEBUG',
  log: { timestamp: '', message },
});

test("kafkajs's throttle notices count the records of the send they came in, and their ms", async () => {
  const f = fakeKafka();
  const watch = new ThrottleWatch();
  const forwarded: string[] = [];
  const log = watch.logCreator((e) => forwarded.push(e.log.message))();
  const p = new IdempotentProducer(
    f.kafka,
    async (x) => {
      await x.connect();
      return x;
    },
    (x) => x.disconnect(),
    watch,
  );
  await p.ready();
  await p.send('t', [rec, rec]);
  expect(watch.figures).toEqual({ records: 0, ms: 0 });
  const open = f.hold();
  const sent = p.send('t', [rec, rec, rec]);
  await new Promise((r) => setTimeout(r, 10));
  // The produce answer names its throttle time while the send is under way.
  log(entry(logLevel.DEBUG, 'Client side throttling in effect for 250ms'));
  open();
  await sent;
  log(entry(logLevel.DEBUG, 'Request Produce(key: 0, version: 7)'));
  log(entry(logLevel.ERROR, 'Connection error'));
  expect(watch.figures).toEqual({ records: 3, ms: 250 });
  // Debug lines stay out of the engine's log; errors are handed on as before.
  expect(forwarded).toEqual(['Connection error']);
});

/** A kafkajs stand-in that partitions as kafkajs does and answers for the partitions in `answer`. */
function partitioningKafka(answer: (partition: number) => boolean) {
  const partitionMetadata = [0, 1, 2, 3].map((partitionId) => ({
    partitionId,
    leader: partitionId % 2,
    partitionErrorCode: 0,
    replicas: [0, 1],
    isr: [0, 1],
  }));
  return {
    producer(config: ProducerConfig) {
      const choose = config.createPartitioner!();
      return {
        connect: async () => {},
        disconnect: async () => {},
        send: async ({ topic, messages }: { topic: string; messages: { key: string }[] }) => {
          const chosen = new Set(
            messages.map((message) =>
              choose({ topic, partitionMetadata, message: message as never }),
            ),
          );
          return [...chosen]
            .filter(answer)
            .map((partition) => ({ topicName: topic, partition, errorCode: 0 }));
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
}

const keyed = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: Buffer.from('v'), ts: 1 }));
const over = (kafka: Kafka) =>
  new IdempotentProducer(
    kafka,
    async (p) => p,
    async () => {},
  );

test('a send kafkajs resolved with no answer for one of its partitions fails', async () => {
  // Forty keys reach every one of the four partitions; partition 3's answer is missing, as when
  // its leader moved mid-send to a broker kafkajs had already heard from.
  const p = over(partitioningKafka((partition) => partition !== 3));
  await expect(p.send('t', keyed(40))).rejects.toThrow(/no answer for partition 3/);
});

test('a send answered for every partition it chose resolves', async () => {
  const p = over(partitioningKafka(() => true));
  await expect(p.send('t', keyed(40))).resolves.toHaveLength(40);
});
