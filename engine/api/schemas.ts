/**
 * JSON schemas of the API bodies (docs/contracts.md): every field required, no other field
 * allowed. Fastify compiles them with Ajv set to neither coerce nor strip, so a wrong type
 * or an extra field is refused rather than quietly fixed.
 */
const id = { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' } as const;
const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;

const body = (properties: Record<string, object>) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

export const huntParams = {
  type: 'object',
  properties: { huntId: id },
  required: ['huntId'],
  additionalProperties: false,
} as const;

export const treasureParams = {
  type: 'object',
  properties: { id },
  required: ['id'],
  additionalProperties: false,
} as const;

export const playerBody = body({ playerId: id, displayName: text(64) });
export const clueBody = body({ playerId: id, clueId: id, answer: text(256) });
export const claimBody = body({ playerId: id, treasureId: id });
export const orderBody = body({
  playerId: id,
  huntId: id,
  treasureId: id,
  priceCents: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
});

/** Ajv options: no coercion, no removal of extra fields, Unicode-aware lengths. */
export const AJV_OPTIONS = {
  coerceTypes: false,
  removeAdditional: false,
  useDefaults: false,
  allErrors: false,
} as const;
