/** QuotaControl over the Kinesis quota layer's admin route and Kafka's ConfigCommand. */

import { type KafkaAdminTool, setKafkaQuota } from '../drivers/kafka/quota.ts';
import type { QuotaControl, QuotaSetting } from './faults/types.ts';

/** Sets the quota layer's mode and service model (PUT /quota); answers the setting it replaced. */
export async function setKinesisQuota(
  adminUrl: string,
  setting: QuotaSetting,
): Promise<QuotaSetting> {
  const res = await fetch(`${adminUrl.replace(/\/$/, '')}/quota`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      mode: setting.mode,
      multiplier: setting.multiplier,
      ...(setting.share !== undefined ? { share: setting.share } : {}),
      ...(setting.model !== undefined ? { model: setting.model } : {}),
    }),
  });
  if (!res.ok) throw new Error(`quota layer ${adminUrl}: ${res.status} ${await res.text()}`);
  const { previous } = (await res.json()) as { previous: QuotaSetting };
  return previous;
}

export function quotaControl(opts: {
  kinesisAdminUrl: string;
  kafka: KafkaAdminTool;
}): QuotaControl {
  return {
    set: (provider, setting) =>
      provider === 'kinesis'
        ? setKinesisQuota(opts.kinesisAdminUrl, setting)
        : setKafkaQuota(opts.kafka, setting),
  };
}

/** What the quota layer's service model delivered (GET /quota/stats); null if it cannot say. */
export async function kinesisModelStats(adminUrl: string): Promise<unknown> {
  try {
    const res = await fetch(`${adminUrl.replace(/\/$/, '')}/quota/stats`);
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}
