/**
 * The bad-input table: each case must get its status and error code, and produce nothing.
 * Shared by the unit test (memory backend) and the integration tests (real brokers).
 */
export interface BadInput {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  contentType?: string;
  body?: string;
  status: number;
  error: string;
}

const j = JSON.stringify;
const longId = 'x'.repeat(65);

export const BAD_INPUTS: BadInput[] = [
  {
    name: 'malformed JSON',
    method: 'POST',
    url: '/hunts/h1/players',
    body: '{"playerId": "p1",',
    status: 400,
    error: 'invalid-json',
  },
  {
    name: 'empty JSON body',
    method: 'POST',
    url: '/hunts/h1/players',
    body: '',
    status: 400,
    error: 'invalid-json',
  },
  {
    name: 'JSON array',
    method: 'POST',
    url: '/hunts/h1/players',
    body: '[]',
    status: 400,
    error: 'invalid-body',
  },
  {
    name: 'JSON null',
    method: 'POST',
    url: '/hunts/h1/players',
    body: 'null',
    status: 400,
    error: 'invalid-body',
  },
  {
    name: 'prototype pollution',
    method: 'POST',
    url: '/hunts/h1/players',
    body: '{"__proto__":{"x":1},"playerId":"p","displayName":"d"}',
    status: 400,
    error: 'invalid-json',
  },
  {
    name: 'missing field',
    method: 'POST',
    url: '/hunts/h1/players',
    body: j({ playerId: 'p1' }),
    status: 400,
    error: 'invalid-body',
  },
  {
    name: 'extra field',
    method: 'POST',
    url: '/hunts/h1/players',
    body: j({ playerId: 'p1', displayName: 'A', admin: true }),
    status: 400,
    error: 'invalid-body',
  },
  {
    name: 'wrong type (number for string)',
    method: 'POST',
    url: '/hunts/h1/players',
    body: j({ playerId: 1, displayName: 'A' }),
    status: 400,
    error: 'invalid-body',
  },
  {
    name: 'wrong type (string for integer)',
    method: 'POST',
    url: '/orders',
    body: j({ playerId: 'p', huntId: 'h1', treasureId: 't1', priceCents: '1500' }),
    status: 400,
    error: 'invalid-body',
  },
  {
    name: 'fractional price',
    method: 'POST',
    url: '/orders',
    body: j({ playerId: 'p', huntId: 'h1', treasureId: 't1', priceCents: 15.5 }),
    status: 400,
    error: 'invalid-body',
  },
  {
    name: 'negative price',
    method: 'POST',
    url: '/orders',
    body: j({ playerId: 'p', huntId: 'h1', treasureId: 't1', priceCents: -1 }),
    status: 400,
    error: 'invalid-body',
  },
  {
    name: 'empty displayName',
    method: 'POST',
    url: '/hunts/h1/players',
    body: j({ playerId: 'p', displayName: '' }),
    status: 400,
    error: 'invalid-body',
  },
  {
    name: 'displayName of 65 emoji',
    method: 'POST',
    url: '/hunts/h1/players',
    body: j({ playerId: 'p', displayName: '🦜'.repeat(65) }),
    status: 400,
    error: 'invalid-body',
  },
  {
    name: 'answer too long',
    method: 'POST',
    url: '/hunts/h1/clues',
    body: j({ playerId: 'p', clueId: 'c1', answer: 'a'.repeat(257) }),
    status: 400,
    error: 'invalid-body',
  },
  {
    name: 'huge id in body',
    method: 'POST',
    url: '/hunts/h1/claims',
    body: j({ playerId: longId, treasureId: 't1' }),
    status: 400,
    error: 'invalid-body',
  },
  {
    name: 'unicode id in body',
    method: 'POST',
    url: '/hunts/h1/claims',
    body: j({ playerId: 'spieler-ü', treasureId: 't1' }),
    status: 400,
    error: 'invalid-body',
  },
  {
    name: 'huge id in path',
    method: 'POST',
    url: `/hunts/${longId}/players`,
    body: j({ playerId: 'p', displayName: 'A' }),
    status: 400,
    error: 'invalid-id',
  },
  {
    name: 'unicode id in path',
    method: 'POST',
    url: `/hunts/${encodeURIComponent('jagd-ö')}/players`,
    body: j({ playerId: 'p', displayName: 'A' }),
    status: 400,
    error: 'invalid-id',
  },
  {
    name: 'very huge id in path',
    method: 'POST',
    url: `/hunts/${'y'.repeat(4000)}/players`,
    body: j({ playerId: 'p', displayName: 'A' }),
    status: 400,
    error: 'invalid-id',
  },
  {
    name: 'wrong content type',
    method: 'POST',
    url: '/hunts/h1/players',
    contentType: 'text/plain',
    body: j({ playerId: 'p', displayName: 'A' }),
    status: 415,
    error: 'unsupported-media-type',
  },
  {
    name: 'form content type',
    method: 'POST',
    url: '/orders',
    contentType: 'application/x-www-form-urlencoded',
    body: 'playerId=p',
    status: 415,
    error: 'unsupported-media-type',
  },
  {
    name: 'oversized body',
    method: 'POST',
    url: '/hunts/h1/players',
    body: j({ playerId: 'p', displayName: 'A'.repeat(20_000) }),
    status: 413,
    error: 'body-too-large',
  },
  {
    name: 'unknown route',
    method: 'POST',
    url: '/hunts/h1/teleport',
    body: '{}',
    status: 404,
    error: 'not-found',
  },
  {
    name: 'unknown method on a route',
    method: 'DELETE',
    url: '/orders',
    status: 404,
    error: 'not-found',
  },
  {
    name: 'unknown treasure lookup',
    method: 'GET',
    url: '/treasures/none',
    status: 404,
    error: 'not-found',
  },
  {
    name: 'bad id in lookup',
    method: 'GET',
    url: `/treasures/${longId}`,
    status: 400,
    error: 'invalid-id',
  },
];
