// ThingsBoard emulator: login, token refresh and expiry, logout, the two bearer headers, the
// error bodies of B.1/B.3, and routing refusals.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { startThingsboard, SYSADMIN, T0, TENANT, type TbHarness } from '../../helpers/thingsboard-harness.js';

let tb: TbHarness;
beforeEach(async () => { tb = await startThingsboard(); });
afterEach(async () => { await tb.close(); });

describe('thingsboard emulator: authentication', () => {
  it('logs in with a token pair signed HS512, valid 9000 s and 7 days', async () => {
    const r = await tb.login(TENANT.username, TENANT.password);
    expect(r.status).toBe(200);
    const pair = await r.json() as { token: string; refreshToken: string };
    expect(Object.keys(pair).sort()).toEqual(['refreshToken', 'token']);
    const access = decodeJwt(pair.token);
    expect(access).toMatchObject({ sub: TENANT.username, scopes: ['TENANT_ADMIN'], iss: 'thingsboard.io', isPublic: false, enabled: true });
    expect(access.exp! - access.iat!).toBe(9000);
    expect(access.iat).toBe(T0 / 1000);
    const refresh = decodeJwt(pair.refreshToken);
    expect(refresh).toMatchObject({ scopes: ['REFRESH_TOKEN'] });
    expect(refresh.exp! - refresh.iat!).toBe(604800);
  });

  it('refuses a wrong password, an unknown user, empty fields and non-POST logins with 401 bodies', async () => {
    for (const [user, pw] of [[TENANT.username, 'nope'], ['ghost@x.org', 'x']] as const) {
      const r = await tb.login(user, pw);
      expect(r.status).toBe(401);
      expect(await r.json()).toEqual({ status: 401, message: 'Invalid username or password', errorCode: 10, timestamp: T0 });
    }
    const empty = await tb.login(TENANT.username, '');
    expect(await empty.json()).toMatchObject({ status: 401, message: 'Authentication failed', errorCode: 10 });
    const get = await tb.api('GET', '/api/auth/login');
    expect(get.status).toBe(401);
    expect(await get.json()).toMatchObject({ message: 'Authentication method not supported', errorCode: 10 });
  });

  it('accepts X-Authorization, and Authorization when X-Authorization is blank', async () => {
    const x = await tb.api('GET', '/api/auth/user', tb.token);
    expect(x.status).toBe(200);
    expect(await x.json()).toMatchObject({ email: TENANT.username, authority: 'TENANT_ADMIN', name: TENANT.username, id: { entityType: 'USER' } });
    const plain = await tb.api('GET', '/api/auth/user', undefined, undefined, { authorization: `Bearer ${tb.token}`, 'x-authorization': ' ' });
    expect(plain.status).toBe(200);
  });

  it('answers 401 code 10 without a token or with a bad one, 401 code 11 once expired', async () => {
    const none = await tb.api('GET', '/api/tenant/devices?pageSize=10&page=0');
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ status: 401, message: 'Authentication failed', errorCode: 10, timestamp: T0 });
    const bad = await tb.api('GET', '/api/auth/user', tb.token.slice(0, -3) + 'abc');
    expect(await bad.json()).toMatchObject({ status: 401, message: 'Invalid username or password', errorCode: 10 });
    tb.clock.advance(9000 * 1000);
    const expired = await tb.api('GET', '/api/auth/user', tb.token);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ status: 401, message: 'Token has expired', errorCode: 11, timestamp: T0 + 9000 * 1000 });
  });

  it('refreshes with the refresh token only, until it expires', async () => {
    const pair = await (await tb.login(TENANT.username, TENANT.password)).json() as { token: string; refreshToken: string };
    tb.clock.advance(10_000 * 1000);
    const r = await tb.api('POST', '/api/auth/token', undefined, { refreshToken: pair.refreshToken });
    expect(r.status).toBe(200);
    const fresh = await r.json() as { token: string };
    expect((await tb.api('GET', '/api/auth/user', fresh.token)).status).toBe(200);
    const wrongKind = await tb.api('POST', '/api/auth/token', undefined, { refreshToken: fresh.token });
    expect(await wrongKind.json()).toMatchObject({ status: 401, errorCode: 10 });
    const asAccess = await tb.api('GET', '/api/auth/user', pair.refreshToken);
    expect(asAccess.status).toBe(401);
    tb.clock.advance(604800 * 1000);
    const late = await tb.api('POST', '/api/auth/token', undefined, { refreshToken: pair.refreshToken });
    expect(await late.json()).toMatchObject({ status: 401, message: 'Token has expired', errorCode: 11 });
  });

  it('outdates the session on logout, other sessions keep working', async () => {
    const other = await (await tb.login(TENANT.username, TENANT.password)).json() as { token: string; refreshToken: string };
    expect((await tb.api('POST', '/api/auth/logout', other.token)).status).toBe(200);
    expect(await (await tb.api('GET', '/api/auth/user', other.token)).json()).toMatchObject({ status: 401, errorCode: 11 });
    expect(await (await tb.api('POST', '/api/auth/token', undefined, { refreshToken: other.refreshToken })).json()).toMatchObject({ errorCode: 11 });
    expect((await tb.api('GET', '/api/auth/user', tb.token)).status).toBe(200);
  });

  it('refuses tenant endpoints to the system administrator with 403 code 20', async () => {
    const sys = await (await tb.login(SYSADMIN.username, SYSADMIN.password)).json() as { token: string };
    expect(decodeJwt(sys.token)).toMatchObject({ scopes: ['SYS_ADMIN'] });
    expect(decodeJwt(sys.token).tenantId).toBeUndefined();
    const r = await tb.api('GET', '/api/tenant/devices?pageSize=10&page=0', sys.token);
    expect(r.status).toBe(403);
    expect(await r.json()).toMatchObject({ status: 403, message: "You don't have permission to perform this operation!", errorCode: 20 });
  });

  it('guards unknown /api paths before routing; with a token they are 404, wrong methods 405', async () => {
    expect((await tb.api('GET', '/api/nothing-here')).status).toBe(401);
    const nf = await tb.api('GET', '/api/nothing-here', tb.token);
    expect(nf.status).toBe(404);
    expect(await nf.json()).toMatchObject({ status: 404, title: 'Not Found', instance: '/api/nothing-here' });
    const wm = await tb.api('PUT', '/api/device', tb.token, {});
    expect(wm.status).toBe(405);
    expect(await wm.json()).toMatchObject({ status: 405, detail: "Method 'PUT' is not supported." });
  });
});
