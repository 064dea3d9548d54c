/** The Kinesis quota layer's admin route: the mode, the multiplier and the service model. */
import type { QuotaSetting } from '../../chaos/faults/types.ts';

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
