// The ThingsBoard bootstrap's first-run path, which the sandbox cannot exercise (it seeds the
// tenant, its administrator and cdm-x509): a fresh tb-postgres has only sysadmin/sysadmin. A small
// loopback fake (shapes from the ThingsBoard REST API: login, changePassword, tenants, users,
// activation, device profiles) records what the bootstrap sends; a second run must send no write.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../src/http/client.js';
import { bootstrapThingsboard } from '../../../src/stack/bootstrap/thingsboard.js';
import type { BootstrapAction } from '../../../src/stack/bootstrap/report.js';
import { recorder } from '../../../src/stack/bootstrap/report.js';

interface Fake { users: Map<string, { password?: string; id: string; tenant?: string; authority: string; token?: string }>; tenants: Array<{ id: { id: string }; title: string }>; profiles: string[]; writes: string[] }

function body(req: IncomingMessage): Promise<any> {
  return new Promise((resolve) => { let b = ''; req.on('data', (c) => { b += c; }); req.on('end', () => resolve(b ? JSON.parse(b) : undefined)); });
}

function fakeThingsboard(): { server: Server; state: Fake } {
  const state: Fake = { users: new Map([['sysadmin@thingsboard.org', { password: 'sysadmin', id: 'u-sys', authority: 'SYS_ADMIN' }]]), tenants: [], profiles: ['default'], writes: [] };
  let n = 0;
  const whoami = (req: IncomingMessage) => [...state.users.entries()].find(([, u]) => req.headers['x-authorization'] === `Bearer tok-${u.id}`);
  const server = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://x');
    const send = (status: number, data?: unknown) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(data === undefined ? '' : JSON.stringify(data)); };
    const b = await body(req);
    if (req.method !== 'GET' && url.pathname !== '/api/auth/login') state.writes.push(`${req.method} ${url.pathname}`);
    if (url.pathname === '/api/auth/login') {
      const u = state.users.get(b.username);
      return u && u.password === b.password ? send(200, { token: `tok-${u.id}`, refreshToken: 'r' }) : send(401, { status: 401, message: 'Invalid username or password', errorCode: 10 });
    }
    if (url.pathname === '/api/noauth/activate') {
      const u = [...state.users.values()].find((x) => x.token === b.activateToken);
      if (!u) return send(400, { status: 400, message: 'bad token', errorCode: 31 });
      u.password = b.password; return send(200, { token: `tok-${u.id}` });
    }
    const me = whoami(req);
    if (!me) return send(401, { status: 401, message: 'Authentication failed', errorCode: 10 });
    const [email, user] = me;
    if (url.pathname === '/api/auth/changePassword') { user.password = b.newPassword; return send(200, { token: `tok-${user.id}` }); }
    if (url.pathname === '/api/tenants') return send(200, { data: state.tenants, hasNext: false });
    if (url.pathname === '/api/tenant') { const t = { id: { id: `t${++n}` }, title: b.title }; state.tenants.push(t); return send(200, t); }
    const tu = /^\/api\/tenant\/([^/]+)\/users$/.exec(url.pathname);
    if (tu) return send(200, { data: [...state.users].filter(([, u]) => u.tenant === tu[1]).map(([e, u]) => ({ id: { id: u.id }, email: e, authority: u.authority })), hasNext: false });
    if (url.pathname === '/api/user') { const id = `u${++n}`; state.users.set(b.email, { id, tenant: b.tenantId.id, authority: b.authority, token: `act-${id}` }); return send(200, { id: { id }, email: b.email, authority: b.authority }); }
    const al = /^\/api\/user\/([^/]+)\/activationLink$/.exec(url.pathname);
    if (al) { res.writeHead(200, { 'content-type': 'text/plain' }); return res.end(`http://tb/api/noauth/activate?activateToken=act-${al[1]}`); }
    if (user.authority !== 'TENANT_ADMIN') return send(403, { status: 403, message: "You don't have permission to perform this operation!", errorCode: 20 });
    void email;
    if (url.pathname === '/api/deviceProfiles') return send(200, { data: state.profiles.map((p) => ({ name: p })), hasNext: false });
    if (url.pathname === '/api/deviceProfile') { state.profiles.push(b.name); return send(200, { ...b, id: { id: 'p1' } }); }
    send(404, { status: 404, message: 'not found', errorCode: 32 });
  });
  return { server, state };
}

let fake: ReturnType<typeof fakeThingsboard>;
let base: string;
const env = new Map([['TB_SYSADMIN_EMAIL', 'sysadmin@thingsboard.org'], ['TB_SYSADMIN_PASSWORD', 'new-sys-pw'], ['TENANT_ID', 'acme'], ['TENANT_DISPLAY_NAME', 'Acme Devices GmbH'], ['TB_TENANT_ADMIN_EMAIL', 'tenant-admin@cdm.local'], ['TB_TENANT_ADMIN_PASSWORD', 'ta-pw']]);

beforeAll(async () => {
  fake = fakeThingsboard();
  await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
});
afterAll(() => { fake.server.close(); });

async function run(): Promise<BootstrapAction[]> {
  const http = createHttpClient({ maxRetries: 0 });
  const actions: BootstrapAction[] = [];
  try { await bootstrapThingsboard(http, base, env, recorder('acme', actions)); } finally { await http.close(); }
  return actions;
}

describe('ThingsBoard bootstrap on a fresh server', () => {
  it('replaces the default sysadmin password, creates tenant, activated admin and cdm-x509 as that admin', async () => {
    const actions = await run();
    expect(actions.map((a) => `${a.target}: ${a.outcome}`)).toEqual([
      'sysadmin password sysadmin@thingsboard.org: updated',
      'tenant Acme Devices GmbH: created',
      'tenant admin tenant-admin@cdm.local: created',
      'device profile cdm-x509: created',
    ]);
    expect(fake.state.users.get('sysadmin@thingsboard.org')!.password).toBe('new-sys-pw');
    expect(fake.state.users.get('tenant-admin@cdm.local')!.password).toBe('ta-pw');
    expect(fake.state.profiles).toContain('cdm-x509');
  });

  it('a second run finds everything and sends no write', async () => {
    const before = fake.state.writes.length;
    const actions = await run();
    expect(actions.map((a) => a.outcome)).toEqual(['present', 'unchanged']);
    expect(fake.state.writes.slice(before)).toEqual([]);
  });
});
