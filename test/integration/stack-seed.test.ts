// cdm stack seed against the in-process sandbox: a fleet larger than one batch lands in
// ThingsBoard, hawkBit and the bridge in the shapes their APIs produce (the store check of the test
// config verifies every seeding patch); the REST APIs page it with the real servers' semantics;
// `cdm device list` merges it page by page (the bridge asked per page, or read whole when it
// ignores the filter); conflicts, bad input and --dry-run change nothing.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore } from '../../src/config/credentials.js';
import { resolvePaths } from '../../src/config/paths.js';
import { startSandbox } from '../../src/sandbox/stack/host.js';
import { randomPortBase } from '../helpers/ports.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { startBridgeStub, TOKEN } from '../unit/ssh/bridge-stub.js';

const N = 1234;
const HOT = 0.1;
const OFFLINE = 0.2;

let t: TestSandbox;
const url = (service: string): string => t.sandbox.info.services.find((s) => s.stack === 'acme' && s.service === service)!.url;
const seed = (...args: string[]) => runCli(['stack', 'seed', '--tenant', 'acme', '--state-dir', t.stateDir, ...args], { env: t.env });
const cli = (...args: string[]) => runCli([...args, '--context', 'local-acme'], { env: t.env });

let tbToken = '';
async function tb(path: string, init: { method?: string; body?: unknown } = {}): Promise<any> {
  const res = await fetch(`${url('thingsboard')}${path}`, {
    method: init.method ?? 'GET', headers: { 'x-authorization': `Bearer ${tbToken}`, 'content-type': 'application/json' }, ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}
const hbAuth = (): string => `Basic ${Buffer.from(`admin:${t.sandbox.secrets.tenants.acme!.hawkbitPassword}`).toString('base64')}`;
async function hb(path: string, init: { method?: string; body?: unknown } = {}): Promise<any> {
  const res = await fetch(`${url('hawkbit')}/rest/v1${path}`, { method: init.method ?? 'GET', headers: { authorization: hbAuth(), 'content-type': 'application/json' }, ...(init.body ? { body: JSON.stringify(init.body) } : {}) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}
async function bridge(query: string): Promise<any> {
  const kc = url('keycloak');
  const secret = t.sandbox.secrets.tenants.acme!.sandboxClientSecret;
  const token = await (await fetch(`${kc}/realms/acme/protocol/openid-connect/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cdm-sandbox', client_secret: secret }),
  })).json() as { access_token: string };
  const res = await fetch(`${url('bridge')}/devices${query}`, { headers: { authorization: `Bearer ${token.access_token}` } });
  expect(res.status).toBe(200);
  return res.json();
}

beforeAll(async () => {
  t = await startTestSandbox({ provider: false });
  const login = await (await fetch(`${url('thingsboard')}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'tenant-admin@acme.example.com', password: t.sandbox.secrets.tenants.acme!.thingsboardPassword }) })).json();
  tbToken = login.token;
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('cdm stack seed', () => {
  it('refuses bad input with exit 2 before contacting anything (no sandbox runs in that state dir)', async () => {
    const nowhere = `${t.stateDir}-none`;
    const bad = (...args: string[]) => runCli(['stack', 'seed', '--state-dir', nowhere, ...args], { env: t.env });
    for (const args of [
      ['--devices', '5'],
      ['--tenant', 'acme'],
      ['--tenant', 'acme', '--devices', '0'],
      ['--tenant', 'acme', '--devices', '2000000'],
      ['--tenant', 'Acme', '--devices', '5'],
      ['--tenant', 'acme', '--devices', '5', '--prefix', 'has space'],
      ['--tenant', 'acme', '--devices', '5', '--prefix', '-dash-first'],
      ['--tenant', 'acme', '--devices', '5', '--cpu-hot', '1.5'],
      ['--tenant', 'acme', '--devices', '5', '--offline', '-0.1'],
    ]) {
      const r = await bad(...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
    }
    // The same valid request against that state dir reaches the point of looking for the sandbox.
    expect((await bad('--tenant', 'acme', '--devices', '5')).code).toBe(3);
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    const r = await seed('--devices', '10', '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/seed-acme-000001 … seed-acme-000010/);
    expect((await tb('/api/tenant/deviceInfos?pageSize=1&page=0')).totalElements).toBe(0);
  });

  it('seeds every service in batches; the APIs page the fleet like the real servers', async () => {
    const r = await seed('--devices', String(N), '--cpu-hot', String(HOT), '--offline', String(OFFLINE), '--seed', '7', '-o', 'json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ kind: 'Seed', tenant: 'acme', devices: N, seeded: N, firstId: 'seed-acme-000001', lastId: 'seed-acme-001234', running: false });

    // ThingsBoard: PageData over the whole fleet, name order both ways, the active filter, search.
    const first = await tb('/api/tenant/deviceInfos?pageSize=100&page=0&sortProperty=name&sortOrder=ASC');
    expect(first).toMatchObject({ totalElements: N, totalPages: 13, hasNext: true });
    expect(first.data[0]).toMatchObject({ name: 'seed-acme-000001', label: 'seed-acme-000001', type: 'cdm-sim-board', deviceProfileName: 'cdm-sim-board', active: true });
    const last = await tb('/api/tenant/deviceInfos?pageSize=100&page=12&sortProperty=name&sortOrder=ASC');
    expect(last.data).toHaveLength(34);
    expect(last.hasNext).toBe(false);
    expect((await tb('/api/tenant/deviceInfos?pageSize=3&page=0&sortProperty=name&sortOrder=DESC')).data.map((d: any) => d.name)).toEqual(['seed-acme-001234', 'seed-acme-001233', 'seed-acme-001232']);
    const offline = await tb('/api/tenant/deviceInfos?pageSize=1000&page=0&active=false');
    expect(offline.totalElements).toBe(Math.round(N * OFFLINE));
    expect(offline.data.every((d: any) => d.name > 'seed-acme-000987')).toBe(true);
    const names = Array.from({ length: N }, (_, i) => `seed-acme-${String(i + 1).padStart(6, '0')}`);
    expect((await tb('/api/tenant/devices?pageSize=20&page=0&textSearch=ACME-00012')).totalElements).toBe(names.filter((n) => n.includes('acme-00012')).length);
    // A seeded device has what a device created through the API has.
    const made = await tb('/api/device', { method: 'POST', body: { name: 'api-made', type: 'cdm-sim-board' } });
    const seeded = await tb('/api/tenant/devices?deviceName=seed-acme-000002');
    expect(Object.keys(seeded).sort()).toEqual(Object.keys(made).sort());
    expect((await tb(`/api/device/${seeded.id.id}/credentials`)).credentialsType).toBe('ACCESS_TOKEN');
    const latest = await tb(`/api/plugins/telemetry/DEVICE/${seeded.id.id}/values/timeseries`);
    expect(Object.keys(latest).sort()).toEqual(['cpu_percent', 'disk_percent', 'ota_status', 'rauc_slot', 'sw_version']);
    expect(latest.sw_version[0].value).toBe('1.0.0');
    const attrs = await tb(`/api/plugins/telemetry/DEVICE/${seeded.id.id}/values/attributes/SERVER_SCOPE?keys=active,lastActivityTime`);
    expect(attrs.find((a: any) => a.key === 'lastActivityTime').value).toBe(latest.cpu_percent[0].ts);
    await tb(`/api/device/${made.id.id}`, { method: 'DELETE' });

    // hawkBit: default order, offset paging, case-insensitive ids, registered targets.
    const page = await hb('/targets?offset=1200&limit=50');
    expect(page).toMatchObject({ total: N, size: 34 });
    expect(page.content[0]).toMatchObject({ controllerId: 'seed-acme-001201', name: 'seed-acme-001201', updateStatus: 'registered' });
    const pinned = await hb(`/targets?q=${encodeURIComponent('controllerId=in=(SEED-ACME-000007,seed-acme-000005,nope)')}`);
    expect(pinned.content.map((x: any) => x.controllerId)).toEqual(['seed-acme-000005', 'seed-acme-000007']);
    expect((await hb(`/targets?q=${encodeURIComponent('updateStatus==registered;name==seed-acme-0012*')}&limit=5`)).total).toBe(35);
    const [apiTarget] = await hb('/targets', { method: 'POST', body: [{ controllerId: 'api-made' }] });
    const seededTarget = await hb('/targets/seed-acme-000002');
    for (const key of Object.keys(apiTarget)) expect(seededTarget).toHaveProperty(key);
    await fetch(`${url('hawkbit')}/rest/v1/targets/api-made`, { method: 'DELETE', headers: { authorization: hbAuth() } });

    // The bridge: device_id order, totals, the lowest free WireGuard addresses, the per-id filter.
    const listed = await bridge('?offset=0&limit=2');
    expect(listed.total).toBe(N);
    expect(listed.devices[0]).toMatchObject({ device_id: 'seed-acme-000001', wireguard_ip: '10.12.0.2', source: 'enroll', hawkbit_controller_id: 'seed-acme-000001', thingsboard_device_id: first.data[0].id.id });
    expect(listed.devices[0].cert_serial).toMatch(/^\d{20,}$/);
    const notAfter = Date.parse(listed.devices[0].cert_not_after);
    expect(notAfter).toBeGreaterThan(Date.now());
    expect(notAfter).toBeLessThan(Date.now() + 30 * 86_400_000);
    const some = await bridge('?device_id=seed-acme-000300&device_id=seed-acme-000010&device_id=nope');
    expect(some.total).toBe(2);
    expect(some.devices.map((d: any) => d.device_id)).toEqual(['seed-acme-000010', 'seed-acme-000300']);
  }, 60_000);

  it('cdm device list merges the seeded fleet page by page', async () => {
    const log = join(t.stateDir, 'sandbox.log');
    const logStart = statSync(log).size;
    const r = await cli('device', 'list', '--all', '-o', 'ndjson');
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(N);
    // Each page's latest telemetry is one entity data query, not a call per device.
    const tbCalls = readFileSync(log).subarray(logStart).toString('utf8').split('\n').filter((l) => l.includes(' acme thingsboard '));
    const pages = Math.ceil(N / 100);
    expect(tbCalls.filter((l) => l.includes('POST /api/entitiesQuery/find 200'))).toHaveLength(pages);
    expect(tbCalls.filter((l) => l.includes('/api/plugins/telemetry/'))).toHaveLength(0);
    expect(rows.map((d) => d.id)).toEqual(Array.from({ length: N }, (_, i) => `seed-acme-${String(i + 1).padStart(6, '0')}`));
    for (const d of rows) {
      expect(d.wireguardIp).toMatch(/^10\.12\.\d+\.\d+$/);
      expect(d.certNotAfter).toBeTruthy();
      expect(d.updateStatus).toBe('registered');
      expect(d.swVersion).toBe('1.0.0');
      expect(typeof d.cpuPercent).toBe('number');
    }
    expect(rows.filter((d) => d.cpuPercent >= 85)).toHaveLength(Math.round(N * HOT));
    expect(rows.filter((d) => d.online === false)).toHaveLength(Math.round(N * OFFLINE));
    const offline = await cli('device', 'list', '--offline', '--all', '-o', 'json');
    expect(offline.json().items).toHaveLength(Math.round(N * OFFLINE));
    const q = await cli('device', 'list', '--query', 'name==seed-acme-0011*', '--all', '-o', 'json');
    expect(q.json().items.map((d: { id: string }) => d.id)).toEqual(Array.from({ length: 100 }, (_, i) => `seed-acme-${String(1100 + i).padStart(6, '0')}`));
    const show = await cli('device', 'show', 'seed-acme-000042', '-o', 'json');
    expect(show.code, show.stderr).toBe(0);
    expect(show.json().bridge.device_id).toBe('seed-acme-000042');
  }, 60_000);

  it('against a bridge that ignores the device_id filter, reads its list whole instead', async () => {
    const stub = await startBridgeStub([{ device_id: 'seed-acme-000002', wireguard_ip: '10.99.0.2' }, { device_id: 'other', wireguard_ip: '10.99.0.3' }]);
    try {
      const add = await runCli(['context', 'add', 'stubbed', '--kind', 'tenant', '--tenant', 'acme', '--thingsboard-url', url('thingsboard'), '--hawkbit-url', url('hawkbit'), '--bridge-url', stub.url], { env: t.env });
      expect(add.code, add.stderr).toBe(0);
      const secrets = t.sandbox.secrets.tenants.acme!;
      for (const [service, user, pw] of [['thingsboard', 'tenant-admin@acme.example.com', secrets.thingsboardPassword], ['hawkbit', 'admin', secrets.hawkbitPassword]] as const) {
        const set = await runCli(['auth', 'set-credential', service, '--username', user, '--context', 'stubbed'], { env: t.env, stdin: pw });
        expect(set.code, set.stderr).toBe(0);
      }
      new CredentialStore(resolvePaths(t.env)).setTokens('stubbed', { grant: 'client_credentials', clientId: 'ci', accessToken: TOKEN, expiresAt: Date.now() + 3_600_000, tokenEndpoint: 'http://127.0.0.1:9/token' });
      const r = await runCli(['device', 'list', '--limit', '3', '-o', 'ndjson', '--context', 'stubbed'], { env: t.env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).wireguardIp)).toEqual([null, '10.99.0.2', null]);
      expect(stub.requests.map((x) => x.call)).toEqual(['GET /devices', 'GET /devices']);
    } finally {
      await stub.close();
    }
  }, 30_000);

  it('refuses ids that exist (exit 5, nothing written); another prefix adds to the fleet', async () => {
    const again = await seed('--devices', '5');
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/seed-acme-000001 already exists in ThingsBoard; choose another --prefix/);
    const more = await seed('--devices', '3', '--prefix', 'gw-');
    expect(more.code, more.stderr).toBe(0);
    expect((await tb('/api/tenant/deviceInfos?pageSize=1&page=0')).totalElements).toBe(N + 3);
    expect((await bridge('?device_id=gw-000001')).devices[0].wireguard_ip).toBe(`10.12.${Math.floor((N + 2) / 256)}.${(N + 2) % 256}`);
  }, 30_000);

  it('the seeded fleet survives a restart of the sandbox', async () => {
    // Another port base than before: fetch's pool may still hold a keep-alive socket to the old one.
    const before = Math.floor(Number(new URL(url('thingsboard')).port) / 100) * 100;
    let portBase = randomPortBase();
    while (portBase === before) portBase = randomPortBase();
    await t.sandbox.close();
    const again = await startSandbox({ stateDir: t.stateDir, provider: false, tenants: ['acme'], portBase });
    t.sandbox = again;
    t.close = () => again.close();
    const login = await (await fetch(`${url('thingsboard')}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'tenant-admin@acme.example.com', password: again.secrets.tenants.acme!.thingsboardPassword }) })).json();
    tbToken = login.token;
    expect((await tb('/api/tenant/deviceInfos?pageSize=1&page=0')).totalElements).toBe(N + 3);
    expect((await hb('/targets?limit=1')).total).toBe(N + 3);
    expect((await bridge('?limit=1')).total).toBe(N + 3);
  }, 60_000);
});
