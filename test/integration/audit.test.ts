// `cdm audit export|tail` against the in-process sandbox: activity first (logins, certificates
// issued and revoked, simulated devices enrolling and updating), then one merged timeline.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type RunResult, runInContext } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
let dir: string;
const acme = runInContext(() => t.env, 'local-acme');
const url = (service: string): string => t.sandbox.info.services.find((s) => s.stack === 'acme' && s.service === service)!.url;
const hbAuth = (): string => `Basic ${Buffer.from(`admin:${t.sandbox.secrets.tenants.acme!.hawkbitPassword}`).toString('base64')}`;
const hb = async (method: string, path: string, body?: unknown): Promise<any> => {
  const res = await fetch(`${url('hawkbit')}${path}`, { method, headers: { authorization: hbAuth(), 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return res.status === 204 ? undefined : res.json();
};
const lines = (r: RunResult): any[] => r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
let serial = '';

beforeAll(async () => {
  t = await startTestSandbox();
  dir = t.env.HOME!;
  const pw = readFileSync(join(t.stateDir, 'tenants', 'acme', 'operator.password'), 'utf8').trim();
  expect((await acme(['auth', 'login', '--username', 'operator', '--password-stdin'], pw)).code).toBe(0);
  expect((await acme(['auth', 'login', '--username', 'operator', '--password-stdin'], 'wrong')).code).toBe(4);
  expect((await acme(['auth', 'login', '--username', 'operator', '--password-stdin'], pw)).code).toBe(0);
  // An admin event: the operator creates a user in the tenant realm.
  const token = (await acme(['auth', 'token'])).stdout.trim();
  const created = await fetch(`${url('keycloak')}/admin/realms/acme/users`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ username: 'audited-user', enabled: true }) });
  expect(created.status).toBe(201);
  const issued = await acme(['cert', 'issue', 'audit-dev-1', '--key-out', join(dir, 'a.key'), '--out', join(dir, 'a.crt'), '-o', 'json']);
  expect(issued.code, issued.stderr).toBe(0);
  serial = issued.json().serial;
  const revoked = await acme(['cert', 'revoke', serial, '--reason', 'superseded', '--confirm', serial, '-o', 'json']);
  expect(revoked.code, revoked.stderr).toBe(0);
  const sim = await runCli(['stack', 'simulate', '--tenant', 'acme', '--devices', '3', '--poll', '200ms', '--seed', '1', '--state-dir', t.stateDir, '-o', 'json'], { env: t.env });
  expect(sim.code, sim.stderr).toBe(0);
  const targets = await hb('GET', '/rest/v1/targets?limit=100');
  const [sm] = await hb('POST', '/rest/v1/softwaremodules', [{ name: 'cdm-os', version: '2.0.0', type: 'os' }]);
  const [ds] = await hb('POST', '/rest/v1/distributionsets', [{ name: 'cdm-os', version: '2.0.0', type: 'os', modules: [{ id: sm.id }] }]);
  await hb('POST', `/rest/v1/distributionsets/${ds.id}/assignedTargets`, targets.content.map((x: { controllerId: string }) => ({ id: x.controllerId, type: 'forced' })));
}, 60_000);
afterAll(async () => {
  await runCli(['stack', 'simulate', '--tenant', 'acme', '--stop', '--state-dir', t.stateDir], { env: t.env });
  await t?.close();
});

describe('cdm audit export', () => {
  it('merges every source of the tenant context into one time-ordered ndjson timeline', async () => {
    const r = await acme(['audit', 'export']);
    expect(r.code, r.stderr).toBe(0);
    const events = lines(r);
    const times = events.map((e) => Date.parse(e.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const sources = new Set(events.map((e) => e.source));
    expect([...sources].sort()).toEqual(['bridge', 'cdm', 'hawkbit', 'keycloak', 'step-ca', 'thingsboard']);
    for (const e of events) expect(Object.keys(e)).toEqual(['time', 'source', 'tenant', 'actor', 'action', 'target', 'outcome', 'details']);
    expect(events).toContainEqual(expect.objectContaining({ source: 'step-ca', action: 'certificate.issue', target: 'audit-dev-1', actor: 'iot-bridge', outcome: 'success', tenant: 'acme' }));
    expect(events).toContainEqual(expect.objectContaining({ source: 'step-ca', action: 'certificate.revoke', target: serial }));
    expect(events).toContainEqual(expect.objectContaining({ source: 'keycloak', action: 'LOGIN', actor: 'operator', outcome: 'success' }));
    expect(events).toContainEqual(expect.objectContaining({ source: 'keycloak', action: 'LOGIN_ERROR', outcome: 'failure' }));
    // Admin events name their actor by user name when the user is of this realm.
    const adminEvents = events.filter((e) => e.source === 'keycloak' && e.action.startsWith('admin.'));
    expect(adminEvents.length).toBeGreaterThan(0);
    expect(adminEvents).toContainEqual(expect.objectContaining({ action: 'admin.CREATE.USER', actor: 'operator', details: expect.objectContaining({ userId: expect.stringMatching(/^[0-9a-f-]{36}$/) }) }));
    expect(events).toContainEqual(expect.objectContaining({ source: 'cdm', action: 'cdm cert revoke', target: expect.stringContaining(serial), tenant: 'acme' }));
    expect(events.filter((e) => e.source === 'hawkbit' && e.action === 'action.update')).toHaveLength(3);
    expect(events.filter((e) => e.source === 'bridge').length).toBeGreaterThanOrEqual(3);
    expect(events.filter((e) => e.source === 'thingsboard').length).toBeGreaterThanOrEqual(3);
  });

  it('filters by --source, --actor, --device and --since', async () => {
    const only = lines(await acme(['audit', 'export', '--source', 'keycloak,step-ca']));
    expect(new Set(only.map((e) => e.source))).toEqual(new Set(['keycloak', 'step-ca']));
    const op = lines(await acme(['audit', 'export', '--actor', 'OPERATOR']));
    expect(op.length).toBeGreaterThan(0);
    expect(op.every((e) => e.actor === 'operator')).toBe(true);
    const dev = lines(await acme(['audit', 'export', '--device', 'audit-dev-1']));
    expect(dev.map((e) => e.action)).toContain('certificate.issue');
    // Its own events, and the later ones about the serial its issue named: step-ca's and cdm's revocation.
    expect(dev.every((e) => e.target === 'audit-dev-1' || e.details.device === 'audit-dev-1' || e.target.includes(serial))).toBe(true);
    expect(dev.filter((e) => e.target.includes(serial)).map((e) => `${e.source} ${e.action}`).sort()).toEqual(['cdm cdm cert revoke', 'step-ca certificate.revoke']);
    const future = await acme(['audit', 'export', '--since', new Date(Date.now() + 3_600_000).toISOString()]);
    expect(future.code).toBe(0);
    expect(future.stdout).toBe('');
    const recent = lines(await acme(['audit', 'export', '--since', '1h', '--source', 'cdm']));
    expect(recent.length).toBeGreaterThan(0);
    const tenant = lines(await acme(['audit', 'export', '--tenant', 'acme']));
    expect(tenant.length).toBeGreaterThan(0);
    expect(tenant.every((e) => e.tenant === 'acme')).toBe(true);
    expect(tenant.some((e) => e.source === 'cdm' && e.action === 'cdm cert issue')).toBe(true);
  });

  it('--device reads that device\'s hawkBit actions with their status history', async () => {
    const device = 'sim-acme-0001';
    let events: any[] = [];
    for (let i = 0; i < 50; i++) {
      events = lines(await acme(['audit', 'export', '--source', 'hawkbit', '--device', device]));
      if (events.some((e) => e.action === 'action.status.finished' || e.action === 'action.status.error')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(events[0]).toMatchObject({ source: 'hawkbit', action: 'action.update', target: device, actor: 'admin' });
    // The target's action history is compact in hawkBit; the release comes from the action itself.
    expect(events[0].details.distributionSet).toMatch(/^\S+:\S+$/);
    expect(events.filter((e) => e.action.startsWith('action.status.')).every((e) => e.details.distributionSet === events[0].details.distributionSet)).toBe(true);
    const statuses = events.filter((e) => e.action.startsWith('action.status.'));
    expect(statuses.length).toBeGreaterThan(1);
    expect(statuses.every((e) => e.target === device && e.details.actionId === events[0].details.actionId)).toBe(true);
    expect(statuses.some((e) => /finished|error/.test(e.action))).toBe(true);
    const times = events.map((e) => Date.parse(e.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(lines(await acme(['audit', 'export', '--source', 'hawkbit', '--device', 'no-such-device']))).toEqual([]);
  }, 20_000);

  it('writes CSV with a header and RFC 4180 quoting', async () => {
    mkdirSync(join(dir, 'state'), { recursive: true });
    appendFileSync(join(dir, 'state', 'journal.ndjson'), `${JSON.stringify({ time: new Date().toISOString(), correlationId: 'c1', actor: 'eve, "the" admin', command: 'cert issue', targets: ['x\ny'], outcome: 'success', exitCode: 0 })}\n`);
    const r = await acme(['audit', 'export', '--source', 'cdm', '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const [header, ...rows] = r.stdout.split('\r\n');
    expect(header).toBe('time,source,tenant,actor,action,target,outcome,details');
    expect(rows.join('\r\n')).toContain('"eve, ""the"" admin",cert issue,"x\ny",success,"{""correlationId"":""c1"",""exitCode"":0}"');
    const table = await acme(['audit', 'export', '--source', 'cdm', '--format', 'table']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('cert issue');
    const json = await acme(['audit', 'export', '--source', 'cdm', '-o', 'json']);
    expect(json.json()).toMatchObject({ apiVersion: 'cdm/v1', kind: 'AuditEventList' });
    // --format chooses as -o does (it rendered with -o's format: a TSV table for --format json).
    const byFlag = await acme(['audit', 'export', '--source', 'cdm', '--format', 'json']);
    expect(byFlag.json()).toEqual(json.json());
    expect((await acme(['audit', 'export', '--source', 'cdm', '--format', 'yaml'])).stdout).toMatch(/^kind: AuditEventList$/m);
  });

  it('goes on without a source that is down, names it and exits 6', async () => {
    const env = { ...t.env };
    // A copy of the context whose ThingsBoard points at a closed port.
    const cfg = join(env.CDM_CONFIG_DIR!, 'config.json');
    const doc = JSON.parse(readFileSync(cfg, 'utf8'));
    const key = doc.contexts ? 'contexts' : undefined;
    expect(key).toBe('contexts');
    const ctx = JSON.parse(JSON.stringify(doc.contexts['local-acme']));
    ctx.thingsboard.url = 'http://127.0.0.1:1';
    doc.contexts['broken-acme'] = ctx;
    writeFileSync(cfg, JSON.stringify(doc));
    const credsFile = join(env.CDM_CONFIG_DIR!, 'credentials.json');
    const creds = JSON.parse(readFileSync(credsFile, 'utf8'));
    const entry = creds.contexts?.['local-acme'];
    if (entry) {
      creds.contexts['broken-acme'] = entry;
      writeFileSync(credsFile, JSON.stringify(creds), { mode: 0o600 });
    }
    const r = await runCli(['audit', 'export', '--context', 'broken-acme', '--timeout', '20s'], { env });
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/source thingsboard failed/);
    const events = lines(r);
    expect(events.some((e) => e.source === 'step-ca')).toBe(true);
    expect(events.some((e) => e.source === 'thingsboard')).toBe(false);
  }, 30_000);

  it('refuses bad input with exit 2 and sends nothing', async () => {
    // Every request the sandbox answers is a line of its log; the simulated devices keep polling
    // hawkBit, so count what an export would ask the other services.
    const requests = (): number => readFileSync(join(t.stateDir, 'sandbox.log'), 'utf8').split('\n').filter((l) => / (keycloak|bridge|thingsboard|step-ca) /.test(l)).length;
    for (const args of [['--since', 'yesterday'], ['--until', '2026-13-45'], ['--source', 'syslog'], ['--format', 'xml'], ['--since', '1h', '--until', '2h'], ['--contexts', ',']]) {
      const before = requests();
      const r = await acme(['audit', 'export', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/invalid|--since is after|no context/);
      expect(requests(), args.join(' ')).toBe(before);
    }
    // The counter does see an export that is sent.
    const before = requests();
    expect((await acme(['audit', 'export', '--source', 'keycloak'])).code).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(requests()).toBeGreaterThan(before);
  });
});

describe('cdm audit export --contexts', () => {
  it('merges the provider and the tenant stack into one timeline, journal once', async () => {
    const r = await runCli(['audit', 'export', '--contexts', 'local-provider,local-acme'], { env: t.env });
    expect(r.code, r.stderr).toBe(0);
    const events = lines(r);
    const times = events.map((e) => Date.parse(e.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Keycloak of both realms: the provider's (tenant null) and acme's.
    expect(events.some((e) => e.source === 'keycloak' && e.tenant === null && e.details.realm === 'cdm')).toBe(true);
    expect(events.some((e) => e.source === 'keycloak' && e.tenant === 'acme' && e.details.realm === 'acme')).toBe(true);
    const journal = lines(await acme(['audit', 'export', '--source', 'cdm']));
    expect(events.filter((e) => e.source === 'cdm').length).toBeGreaterThanOrEqual(journal.length);
    expect(events.filter((e) => e.source === 'cdm').length).toBeLessThan(journal.length + 5);
    const unknown = await runCli(['audit', 'export', '--contexts', 'local-acme,nope'], { env: t.env });
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
  });
});

describe('cdm audit tail', () => {
  it('--follow prints what is new at each poll, each event once, until interrupted', async () => {
    const stop = new AbortController();
    const journal = join(dir, 'state', 'journal.ndjson');
    const entry = (n: number): string => `${JSON.stringify({ time: new Date().toISOString(), correlationId: `follow-${n}`, actor: 'follower', command: 'cdm test follow', targets: [`t${n}`], outcome: 'success', exitCode: 0 })}\n`;
    const running = runCli(['audit', 'tail', '-f', '-n', '1', '--source', 'cdm', '--interval', '100ms'], { env: t.env, interrupt: stop.signal });
    await new Promise((r) => setTimeout(r, 300));
    appendFileSync(journal, entry(1));
    await new Promise((r) => setTimeout(r, 400));
    appendFileSync(journal, entry(2));
    await new Promise((r) => setTimeout(r, 400));
    stop.abort();
    const r = await running;
    expect(r.code).toBe(130);
    const events = lines(r);
    expect(events.filter((e) => e.actor === 'follower').map((e) => e.target)).toEqual(['t1', 't2']);
  });

  it('prints the last n events in time order', async () => {
    const r = await acme(['audit', 'tail', '-n', '5']);
    expect(r.code, r.stderr).toBe(0);
    const events = lines(r);
    expect(events).toHaveLength(5);
    const all = lines(await acme(['audit', 'export']));
    // The newest five of the whole timeline (new events may have arrived in between).
    expect(Date.parse(events[4].time)).toBeGreaterThanOrEqual(Date.parse(all[all.length - 5].time));
  });
});
