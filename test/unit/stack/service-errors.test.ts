// Each backend's own error body becomes a typed cdm error with service, status and the
// backend's words (RabbitMQ {error, reason}, hawkBit ExceptionInfo, ThingsBoard {message, errorCode}).
import { describe, expect, it } from 'vitest';
import { AuthError, BackendError, ConflictError, NotFoundError, UsageError } from '../../../src/core/errors.js';
import type { HttpResponse } from '../../../src/http/types.js';
import { hawkbitError } from '../../../src/services/hawkbit/errors.js';
import { rabbitError } from '../../../src/services/rabbitmq/errors.js';
import { thingsboardError } from '../../../src/services/thingsboard/errors.js';

const res = (status: number, body: unknown): HttpResponse => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers: {}, body: Buffer.from(text), url: 'http://x', attempts: 1, text: () => text, json: () => JSON.parse(text) };
};

describe('backend error mapping', () => {
  it('RabbitMQ', () => {
    const e = rabbitError(res(401, { error: 'not_authorized', reason: 'Login failed' }), 'create vhost v');
    expect(e).toBeInstanceOf(AuthError);
    expect(e).toMatchObject({ service: 'rabbitmq', status: 401, message: 'create vhost v: not_authorized: Login failed' });
    expect(rabbitError(res(400, { error: 'bad_request', reason: { name: 'x' } }), 'w')).toBeInstanceOf(UsageError);
    expect(rabbitError(res(404, { error: 'Object Not Found', reason: 'Not Found' }), 'w')).toBeInstanceOf(NotFoundError);
    expect(rabbitError(res(500, ''), 'w').message).toBe('w: HTTP 500');
  });

  it('hawkBit', () => {
    const e = hawkbitError(res(409, { errorCode: 'hawkbit.server.error.repo.entityAlreadyExists', message: 'already exists' }), 'create type');
    expect(e).toBeInstanceOf(ConflictError);
    expect(e).toMatchObject({ service: 'hawkbit', status: 409, message: 'create type: already exists (hawkbit.server.error.repo.entityAlreadyExists)' });
    expect(hawkbitError(res(401, ''), 'w')).toBeInstanceOf(AuthError);
  });

  it('ThingsBoard, including plain-text bodies', () => {
    const e = thingsboardError(res(403, { status: 403, message: "You don't have permission to perform this operation!", errorCode: 20 }), 'create profile');
    expect(e).toBeInstanceOf(AuthError);
    expect(e).toMatchObject({ service: 'thingsboard', status: 403 });
    expect(thingsboardError(res(400, 'Invalid scope: CLIENT_SCOPE'), 'w').message).toBe('ThingsBoard: w: Invalid scope: CLIENT_SCOPE');
    expect(thingsboardError(res(503, ''), 'w')).toBeInstanceOf(BackendError);
  });
});
