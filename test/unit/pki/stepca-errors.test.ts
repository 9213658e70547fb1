// step-ca's {status, message} error bodies → typed errors that keep service and status.
import { describe, expect, it } from 'vitest';
import { AuthError, BackendError, ConflictError, NotFoundError } from '../../../src/core/errors.js';
import { stepcaError } from '../../../src/services/stepca/errors.js';

const res = (status: number, text: string) => ({ status, text: () => text });

describe('stepcaError', () => {
  it.each([
    [401, '{"status":401,"message":"The request lacked necessary authorization to be completed. Please see the certificate authority logs for more info."}', AuthError, 4],
    [403, '{"status":403,"message":"The request was forbidden by the certificate authority: certificate request does not contain the valid common name - got a, want b."}', ConflictError, 5],
    [403, '{"status":403,"message":"The request was forbidden by the certificate authority: requested duration of 24000h1m0s is more than the authorized maximum certificate duration of 24h1m0s."}', ConflictError, 5],
    [403, '{"status":403,"message":"The request was forbidden by the certificate authority: token is expired."}', AuthError, 4],
    [404, '{"status":404,"message":"The requested resource could not be found. Please see the certificate authority logs for more info."}', NotFoundError, 3],
    [400, '{"status":400,"message":"The request could not be completed: certificate with serial number \'1655\' is already revoked."}', ConflictError, 5],
    [400, '{"status":400,"message":"The request could not be completed: reasonCode out of bounds."}', BackendError, 1],
    [501, '{"status":501,"message":"The requested method is not implemented by the certificate authority. Please see the certificate authority logs for more info."}', BackendError, 1],
  ])('%i → %s', (status, body, type, exit) => {
    const err = stepcaError(res(status, body), 'revoke serial 1655');
    expect(err).toBeInstanceOf(type);
    expect(err.exitCode).toBe(exit);
    expect(err.service).toBe('step-ca');
    expect(err.status).toBe(status);
    expect(err.message).toBe(`revoke serial 1655: ${JSON.parse(body).message}`);
  });

  it('keeps Go\'s plain-text 404 for unknown routes', () => {
    const err = stepcaError(res(404, '404 page not found\n'), 'CRL');
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toBe('CRL: 404 page not found');
  });
});
