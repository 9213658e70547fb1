// The one list of RabbitMQ management-API scenarios. Each runs unchanged against the emulator
// and the real node; each uses its own names, so order and repetition do not matter.
import { expect } from 'vitest';
import { seg, type Call, type Credentials, type Reply } from './client.js';

export interface Scenario {
  name: string;
  run(call: Call, admin: Credentials): Promise<void>;
}

const NOT_FOUND = { error: 'Object Not Found', reason: 'Not Found' };
const LOGIN_FAILED = { error: 'not_authorized', reason: 'Login failed' };
const CHALLENGE = 'Basic realm="RabbitMQ Management"';
const NOT_ADMIN = { error: 'not_authorised', reason: 'Not administrator user' };
const FULL = { configure: '.*', write: '.*', read: '.*' };

function expectEmpty(r: Reply, status: number): void {
  expect({ status: r.status, text: r.text }).toEqual({ status, text: '' });
}

function expectJson(r: Reply, status: number, body: unknown): void {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toBe('application/json');
  expect(r.json()).toEqual(body);
}

async function createUser(call: Call, name: string, body: Record<string, unknown>): Promise<void> {
  expect((await call('PUT', `/api/users/${seg(name)}`, { body })).status).toBe(201);
}

export const scenarios: Scenario[] = [
  {
    name: 'vhost: create 201, repeat 204, get, list, delete 204, then 404',
    async run(call) {
      expectEmpty(await call('PUT', '/api/vhosts/cf-acme', { body: { description: 'tenant acme', tags: 'cdm' } }), 201);
      expectEmpty(await call('PUT', '/api/vhosts/cf-acme', { body: { description: 'tenant acme', tags: 'cdm' } }), 204);
      const got = await call('GET', '/api/vhosts/cf-acme');
      expect(got.status).toBe(200);
      expect(got.json()).toMatchObject({
        name: 'cf-acme', description: 'tenant acme', tags: ['cdm'],
        metadata: { description: 'tenant acme', tags: ['cdm'] }, tracing: false,
      });
      const list = (await call('GET', '/api/vhosts')).json() as Array<{ name: string }>;
      expect(list.map((v) => v.name)).toEqual(expect.arrayContaining(['/', 'cf-acme']));
      expectEmpty(await call('DELETE', '/api/vhosts/cf-acme'), 204);
      expectJson(await call('GET', '/api/vhosts/cf-acme'), 404, NOT_FOUND);
    },
  },
  {
    name: 'vhost: missing one is 404 on GET and DELETE; the default vhost is %2F',
    async run(call) {
      expectJson(await call('GET', '/api/vhosts/cf-nope'), 404, NOT_FOUND);
      expectJson(await call('DELETE', '/api/vhosts/cf-nope'), 404, NOT_FOUND);
      const root = await call('GET', `/api/vhosts/${seg('/')}`);
      expect(root.status).toBe(200);
      expect(root.json()).toMatchObject({ name: '/', description: 'Default virtual host', tags: [] });
    },
  },
  {
    name: 'vhost: a PUT replaces description and tags; tags may be a list',
    async run(call) {
      await call('PUT', '/api/vhosts/cf-upd', { body: { description: 'one', tags: 'a, b' } });
      expect((await call('GET', '/api/vhosts/cf-upd')).json()).toMatchObject({ description: 'one', tags: ['a', 'b'] });
      expectEmpty(await call('PUT', '/api/vhosts/cf-upd', { body: { tags: ['x'] } }), 204);
      expect((await call('GET', '/api/vhosts/cf-upd')).json()).toMatchObject({ description: '', tags: ['x'] });
      await call('DELETE', '/api/vhosts/cf-upd');
    },
  },
  {
    name: 'vhost: the creating administrator gets full permissions on it',
    async run(call, admin) {
      await call('PUT', '/api/vhosts/cf-grant', { body: {} });
      expectJson(await call('GET', `/api/permissions/cf-grant/${seg(admin.user)}`), 200, { user: admin.user, vhost: 'cf-grant', ...FULL });
      await call('DELETE', '/api/vhosts/cf-grant');
    },
  },
  {
    name: 'user: create with password 201, repeat 204, get, list, login works',
    async run(call) {
      expectEmpty(await call('PUT', '/api/users/cf-svc', { body: { password: 's3cret', tags: 'management' } }), 201);
      expectEmpty(await call('PUT', '/api/users/cf-svc', { body: { password: 's3cret', tags: 'management' } }), 204);
      const got = await call('GET', '/api/users/cf-svc');
      expect(got.status).toBe(200);
      const user = got.json() as Record<string, unknown>;
      expect(user).toMatchObject({ name: 'cf-svc', hashing_algorithm: 'rabbit_password_hashing_sha256', tags: ['management'], limits: {} });
      // base64 of a 4-byte salt and a SHA-256 digest
      expect(Buffer.from(user.password_hash as string, 'base64')).toHaveLength(36);
      const names = ((await call('GET', '/api/users')).json() as Array<{ name: string }>).map((u) => u.name);
      expect(names).toContain('cf-svc');
      expectJson(await call('GET', '/api/whoami', { auth: { user: 'cf-svc', password: 's3cret' } }), 200, { name: 'cf-svc', tags: ['management'] });
      expectEmpty(await call('DELETE', '/api/users/cf-svc'), 204);
    },
  },
  {
    name: 'user: password_hash "" (the mqtt-bridge user) is stored empty and cannot log in',
    async run(call) {
      expectEmpty(await call('PUT', '/api/users/cf-bridge', { body: { password_hash: '', tags: '' } }), 201);
      expectEmpty(await call('PUT', '/api/users/cf-bridge', { body: { password_hash: '', tags: '' } }), 204);
      expectJson(await call('GET', '/api/users/cf-bridge'), 200, {
        name: 'cf-bridge', password_hash: '', hashing_algorithm: 'rabbit_password_hashing_sha256', tags: [], limits: {},
      });
      const login = await call('GET', '/api/whoami', { auth: { user: 'cf-bridge', password: '' } });
      expectJson(login, 401, LOGIN_FAILED);
      await call('DELETE', '/api/users/cf-bridge');
    },
  },
  {
    name: 'user: a known password_hash logs in with its password',
    async run(call) {
      // salt 00000000 + sha256(salt ‖ "pw"): the format RabbitMQ definitions carry
      const { createHash } = await import('node:crypto');
      const salt = Buffer.alloc(4);
      const hash = Buffer.concat([salt, createHash('sha256').update(salt).update('pw').digest()]).toString('base64');
      await createUser(call, 'cf-hashed', { password_hash: hash, tags: 'monitoring' });
      expectJson(await call('GET', '/api/whoami', { auth: { user: 'cf-hashed', password: 'pw' } }), 200, { name: 'cf-hashed', tags: ['monitoring'] });
      await call('DELETE', '/api/users/cf-hashed');
    },
  },
  {
    name: 'user: missing one is 404 on GET, DELETE and its permissions',
    async run(call) {
      expectJson(await call('GET', '/api/users/cf-nope'), 404, NOT_FOUND);
      expectJson(await call('DELETE', '/api/users/cf-nope'), 404, NOT_FOUND);
      expectJson(await call('GET', '/api/users/cf-nope/permissions'), 404, NOT_FOUND);
    },
  },
  {
    name: 'user: refusals for missing tags, both password fields, bad base64',
    async run(call) {
      expectJson(await call('PUT', '/api/users/cf-bad', { body: { password: 'x' } }), 400, { error: 'bad_request', reason: 'tags_not_present' });
      expectJson(await call('PUT', '/api/users/cf-bad', { body: { password: 'x', password_hash: '', tags: '' } }), 400,
        { error: 'bad_request', reason: 'both_password_and_password_hash_are_provided' });
      expectJson(await call('PUT', '/api/users/cf-bad', { body: { password_hash: 'notbase64!!', tags: '' } }), 400,
        { error: 'bad_request', reason: ['not_base64', 'notbase64!!'] });
      expectJson(await call('GET', '/api/users/cf-bad'), 404, NOT_FOUND);
    },
  },
  {
    name: 'permissions: create 201, repeat 204, get, listings, delete 204 then 404',
    async run(call, admin) {
      await call('PUT', '/api/vhosts/cf-perm', { body: {} });
      await createUser(call, 'cf-perm-user', { password_hash: '', tags: '' });
      const path = '/api/permissions/cf-perm/cf-perm-user';
      expectEmpty(await call('PUT', path, { body: FULL }), 201);
      expectEmpty(await call('PUT', path, { body: { configure: '^$', write: '.*', read: '.*' } }), 204);
      const entry = { user: 'cf-perm-user', vhost: 'cf-perm', configure: '^$', write: '.*', read: '.*' };
      expectJson(await call('GET', path), 200, entry);
      expectJson(await call('GET', '/api/users/cf-perm-user/permissions'), 200, [entry]);
      // listed by user name: "cdmadmin" sorts before "cf-perm-user"
      expect((await call('GET', '/api/vhosts/cf-perm/permissions')).json()).toEqual([
        { user: admin.user, vhost: 'cf-perm', ...FULL }, entry,
      ]);
      expect((await call('GET', '/api/permissions')).json()).toEqual(expect.arrayContaining([entry]));
      expectEmpty(await call('DELETE', path), 204);
      expectJson(await call('GET', path), 404, NOT_FOUND);
      expectJson(await call('DELETE', path), 404, NOT_FOUND);
      await call('DELETE', '/api/vhosts/cf-perm');
      await call('DELETE', '/api/users/cf-perm-user');
    },
  },
  {
    name: 'permissions: missing vhost or user is 400 vhost_or_user_not_found on PUT, 404 on GET',
    async run(call, admin) {
      const refusal = { error: 'bad_request', reason: 'vhost_or_user_not_found' };
      expectJson(await call('PUT', `/api/permissions/cf-nope/${seg(admin.user)}`, { body: FULL }), 400, refusal);
      expectJson(await call('PUT', '/api/permissions/%2F/cf-nope', { body: FULL }), 400, refusal);
      expectJson(await call('GET', `/api/permissions/cf-nope/${seg(admin.user)}`), 404, NOT_FOUND);
      expectJson(await call('GET', '/api/permissions/%2F/cf-nope'), 404, NOT_FOUND);
      expectJson(await call('GET', '/api/vhosts/cf-nope/permissions'), 404, NOT_FOUND);
      // existence is checked before the body is even parsed
      expectJson(await call('PUT', '/api/permissions/%2F/cf-nope', { body: '{bad' }), 400, refusal);
    },
  },
  {
    name: 'permissions: missing keys and invalid regexps are 400',
    async run(call) {
      await createUser(call, 'cf-keys', { password_hash: '', tags: '' });
      expectJson(await call('PUT', '/api/permissions/%2F/cf-keys', { body: { configure: '.*', write: '.*' } }), 400,
        { error: 'bad_request', reason: '[{key_missing,read}]' });
      expectJson(await call('PUT', '/api/permissions/%2F/cf-keys', { body: {} }), 400,
        { error: 'bad_request', reason: '[{key_missing,configure},{key_missing,write},{key_missing,read}]' });
      const bad = await call('PUT', '/api/permissions/%2F/cf-keys', { body: { configure: '(', write: '.*', read: '.*' } });
      expect(bad.status).toBe(400);
      const { error, reason } = bad.json() as { error: string; reason: unknown[] };
      // the third item is the regexp engine's own message, which differs between PCRE and JavaScript
      expect([error, reason[0], reason[1]]).toEqual(['bad_request', 'invalid_regexp', [40]]);
      expectJson(await call('GET', '/api/permissions/%2F/cf-keys'), 404, NOT_FOUND);
      await call('DELETE', '/api/users/cf-keys');
    },
  },
  {
    name: 'permissions: deleting the vhost or the user removes them',
    async run(call) {
      await call('PUT', '/api/vhosts/cf-cascade', { body: {} });
      await createUser(call, 'cf-cascade-user', { password_hash: '', tags: '' });
      await call('PUT', '/api/permissions/cf-cascade/cf-cascade-user', { body: FULL });
      await call('PUT', '/api/permissions/%2F/cf-cascade-user', { body: FULL });
      await call('DELETE', '/api/vhosts/cf-cascade');
      expectJson(await call('GET', '/api/users/cf-cascade-user/permissions'), 200, [{ user: 'cf-cascade-user', vhost: '/', ...FULL }]);
      await call('DELETE', '/api/users/cf-cascade-user');
      expectJson(await call('GET', '/api/permissions/%2F/cf-cascade-user'), 404, NOT_FOUND);
    },
  },
  {
    name: 'bad JSON is 400 not_json; a JSON string is refused as doubly encoded',
    async run(call, admin) {
      const notJson = { error: 'bad_request', reason: 'not_json' };
      expectJson(await call('PUT', '/api/vhosts/cf-json', { body: '{bad' }), 400, notJson);
      expectJson(await call('PUT', '/api/users/cf-json', { body: '{bad' }), 400, notJson);
      expectJson(await call('PUT', `/api/permissions/%2F/${seg(admin.user)}`, { body: '{bad' }), 400, notJson);
      expectJson(await call('PUT', '/api/vhosts/cf-json', { body: '[]' }), 400, notJson);
      expectJson(await call('PUT', '/api/vhosts/cf-json', { body: '"str"' }), 400, {
        error: 'bad_request',
        reason: 'invalid payload: the request body JSON-decoded to a string. Is the input doubly-JSON-encoded?',
      });
      expectJson(await call('GET', '/api/vhosts/cf-json'), 404, NOT_FOUND);
    },
  },
  {
    name: 'auth: no credentials is a bare 401 challenge; wrong password or unknown user is 401 Login failed',
    async run(call, admin) {
      const bare = await call('GET', '/api/whoami', { auth: null });
      expectEmpty(bare, 401);
      expect(bare.headers.get('www-authenticate')).toBe(CHALLENGE);
      for (const auth of [{ user: admin.user, password: 'wrong' }, { user: 'cf-nobody', password: 'x' }, 'Bearer abc']) {
        const r = await call('GET', '/api/overview', { auth });
        expectJson(r, 401, LOGIN_FAILED);
        expect(r.headers.get('www-authenticate')).toBe(CHALLENGE);
      }
    },
  },
  {
    name: 'auth: a management user may read overview/whoami but is refused administrator resources',
    async run(call) {
      await call('PUT', '/api/vhosts/cf-mine', { body: {} });
      await createUser(call, 'cf-mgmt', { password: 'pw', tags: 'management' });
      await call('PUT', '/api/permissions/cf-mine/cf-mgmt', { body: FULL });
      const as = { user: 'cf-mgmt', password: 'pw' };
      expectJson(await call('GET', '/api/whoami', { auth: as }), 200, { name: 'cf-mgmt', tags: ['management'] });
      expect((await call('GET', '/api/overview', { auth: as })).status).toBe(200);
      // the vhost list shows only vhosts the user holds permissions on
      expect(((await call('GET', '/api/vhosts', { auth: as })).json() as Array<{ name: string }>).map((v) => v.name)).toEqual(['cf-mine']);
      for (const [method, path] of [['GET', '/api/users'], ['GET', '/api/vhosts/cf-mine'], ['PUT', '/api/vhosts/cf-other'], ['GET', '/api/permissions']]) {
        const r = await call(method!, path!, { auth: as, body: method === 'PUT' ? {} : undefined });
        expectJson(r, 401, NOT_ADMIN);
        expect(r.headers.get('www-authenticate')).toBeNull();
      }
      expectJson(await call('GET', '/api/vhosts/cf-other'), 404, NOT_FOUND);
      await call('DELETE', '/api/users/cf-mgmt');
      await call('DELETE', '/api/vhosts/cf-mine');
    },
  },
  {
    name: 'auth: a user without a management tag is refused everything',
    async run(call) {
      await createUser(call, 'cf-none', { password: 'pw', tags: 'none' });
      const r = await call('GET', '/api/whoami', { auth: { user: 'cf-none', password: 'pw' } });
      expectJson(r, 401, { error: 'not_authorised', reason: 'Not management user' });
      await call('DELETE', '/api/users/cf-none');
    },
  },
  {
    name: 'auth: a malformed Basic header is a bare 400',
    async run(call) {
      expectEmpty(await call('GET', '/api/whoami', { auth: 'Basic !!!' }), 400);
    },
  },
  {
    name: 'overview and whoami: the fields the CLI reads',
    async run(call, admin) {
      expectJson(await call('GET', '/api/whoami'), 200, { name: admin.user, tags: ['administrator'] });
      const r = await call('GET', '/api/overview');
      expect(r.status).toBe(200);
      const o = r.json() as Record<string, unknown>;
      expect(o).toMatchObject({
        product_name: 'RabbitMQ', rabbitmq_version: '3.10.8', product_version: '3.10.8', management_version: '3.10.8',
        erlang_version: '25.2.3', node: expect.any(String), cluster_name: expect.any(String),
        object_totals: { channels: 0, connections: 0, consumers: 0, exchanges: expect.any(Number), queues: expect.any(Number) },
      });
      const listeners = o.listeners as Array<Record<string, unknown>>;
      const http = listeners.find((l) => l.protocol === 'http');
      expect(http).toMatchObject({ node: o.node, port: expect.any(Number) });
    },
  },
  {
    name: 'health: aliveness-test needs vhost permissions; alarm checks answer ok',
    async run(call) {
      expectJson(await call('GET', '/api/aliveness-test/%2F'), 200, { status: 'ok' });
      expectJson(await call('GET', '/api/aliveness-test/cf-nope'), 404, NOT_FOUND);
      await createUser(call, 'cf-alive', { password: 'pw', tags: 'monitoring' });
      expectJson(await call('GET', '/api/aliveness-test/%2F', { auth: { user: 'cf-alive', password: 'pw' } }), 401,
        { error: 'not_authorised', reason: 'User not authorised to access virtual host' });
      expectJson(await call('GET', '/api/health/checks/alarms', { auth: { user: 'cf-alive', password: 'pw' } }), 200, { status: 'ok' });
      expectJson(await call('GET', '/api/health/checks/local-alarms'), 200, { status: 'ok' });
      await call('DELETE', '/api/users/cf-alive');
    },
  },
  {
    name: 'routing: unknown paths are 404 even without credentials; wrong methods are 405 with Allow',
    async run(call) {
      expectJson(await call('GET', '/api/cf-nothing', { auth: null }), 404, NOT_FOUND);
      expectJson(await call('GET', '/api/vhosts/a/b/c'), 404, NOT_FOUND);
      const post = await call('POST', '/api/vhosts/cf-x', { auth: null });
      expectEmpty(post, 405);
      expect(post.headers.get('allow')).toBe('HEAD, GET, PUT, DELETE, OPTIONS');
      const put = await call('PUT', '/api/users', { body: {} });
      expectEmpty(put, 405);
      expect(put.headers.get('allow')).toBe('HEAD, GET, OPTIONS');
      const options = await call('OPTIONS', '/api/permissions/%2F/x');
      expectEmpty(options, 200);
      expect(options.headers.get('allow')).toBe('HEAD, GET, PUT, DELETE, OPTIONS');
    },
  },
];

