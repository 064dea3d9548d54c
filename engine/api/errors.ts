import type { FastifyError } from 'fastify';
import { type HttpAnswer, httpOf, InputError } from '../errors.ts';

/** Fastify's own errors (parsing, limits, validation) as the API's kebab-case codes. */
const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported-media-type'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body-too-large'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid-json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid-json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid-content-length'],
  FST_ERR_BAD_URL: [400, 'invalid-url'],
  FST_ERR_MAX_PARAM_LENGTH: [400, 'invalid-id'],
};

/**
 * Turns any error thrown in a request into the answer the client gets. Fastify's errors are
 * first translated to `InputError`s; then the one table in engine/errors.ts decides.
 */
export function answerFor(err: unknown): HttpAnswer {
  const e = err as FastifyError & { validationContext?: string };
  if (e.validation) {
    const where = e.validationContext === 'params' ? 'invalid-id' : 'invalid-body';
    return httpOf(new InputError(where, e.message));
  }
  const mapped = e.code ? FASTIFY_CODES[e.code] : undefined;
  if (mapped) return httpOf(new InputError(mapped[1], e.message, mapped[0]));
  // The JSON parser's SyntaxError (and prototype-poisoning refusals) arrive as plain 400s.
  if (err instanceof SyntaxError || (e.statusCode === 400 && !(err instanceof InputError))) {
    return httpOf(new InputError('invalid-json', e.message));
  }
  return httpOf(err);
}
