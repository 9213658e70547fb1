// The tenant stack of the sandbox: hawkBit and ThingsBoard answer with the credentials that
// `cdm stack up` stored in the local-<tenant> context.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
beforeAll(async () => { t = await startTestSandbox(); });
afterAll(async () => { await t?.close(); });

function stored(service: string): { username: string; secret: string } {
  return JSON.parse(readFileSync(join(t.env.CDM_CONFIG_DIR!, 'credentials.json'), 'utf8')).contexts['local-acme'].services[service];
}

describe('sandbox tenant services', () => {
  it('the context names hawkBit and ThingsBoard, and its credentials work', async () => {
    const ctx = (await runCli(['context', 'show', 'local-acme', '-o', 'json'], { env: t.env })).json();
    const hb = stored('hawkbit');
    const targets = await fetch(`${ctx.hawkbit.url}/rest/v1/targets`, { headers: { authorization: `Basic ${Buffer.from(`${hb.username}:${hb.secret}`).toString('base64')}` } });
    expect(targets.status).toBe(200);
    expect(await targets.json()).toEqual({ content: [], total: 0, size: 0 });
    expect((await fetch(`${ctx.hawkbit.url}/rest/v1/targets`)).status).toBe(401);
    const tb = stored('thingsboard');
    const login = await fetch(`${ctx.thingsboard.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: tb.username, password: tb.secret }) });
    expect(login.status).toBe(200);
    const { token } = await login.json();
    const profiles = await fetch(`${ctx.thingsboard.url}/api/deviceProfileInfos?pageSize=10&page=0`, { headers: { 'x-authorization': `Bearer ${token}` } });
    expect((await profiles.json()).data.map((p: { name: string }) => p.name)).toContain('cdm-x509');
  });
});
