/**
 * The engine's topics before it starts: created (createTopic, the default), or, for an
 * existing system, checked to exist and used as they are: never created, never deleted.
 */
import type { Backend } from './backend.ts';
import type { EngineConfig } from './config.ts';
import { EngineConfigError } from './errors.ts';

export async function prepareTopics(
  backend: Backend,
  c: Pick<EngineConfig, 'topic' | 'dlqTopic' | 'partitions' | 'createTopic' | 'dlq'>,
): Promise<void> {
  if (c.createTopic) {
    await backend.ensureTopic(c.topic, c.partitions);
    await backend.ensureTopic(c.dlqTopic, c.partitions);
    return;
  }
  // The DLQ is needed only by a design that dead-letters.
  const needed: [string, string][] = [['topic', c.topic]];
  if (c.dlq) needed.push(['dlqTopic', c.dlqTopic]);
  const what = backend.noun;
  for (const [key, name] of needed) {
    if (!(await backend.topicExists(name))) {
      throw new EngineConfigError(
        `${key}: ${what} '${name}' does not exist and createTopic is false: create it, or set createTopic: true`,
      );
    }
  }
}
