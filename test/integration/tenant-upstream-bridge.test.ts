// `cdm tenant onboard` against a provider bridge without the tenant register (upstream's has no
// GET /portal/admin/tenants: FastAPI answers 405, since only POST is routed there). The register
// only tells a resumed run from a new one, so onboarding goes on; a re-run resumes from the bundle.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultProxy } from '../helpers/fault-proxy.js';
import { runCli } from '../helpers/run-cli.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

let t: TestSandbox;
let proxy: Awaited<ReturnType<typeof faultProxy>>;
let restore: string;
beforeAll(async () => {
  t = await startTestSandbox({ tenants: ['acme'] });
  const bridge = t.sandbox.info.services.find((s) => s.stack === 'provider' && s.service === 'bridge')!.url;
  proxy = await faultProxy(bridge, (m, path) => m === 'GET' && path.split('?')[0] === '/portal/admin/tenants', { status: 405, body: { detail: 'Method Not Allowed' } });
  const file = join(t.env.CDM_CONFIG_DIR!, 'config.json');
  restore = readFileSync(file, 'utf8');
  const doc = JSON.parse(restore);
  doc.contexts['local-provider'].bridge.url = proxy.url;
  writeFileSync(file, JSON.stringify(doc));
}, 60_000);
afterAll(async () => {
  writeFileSync(join(t.env.CDM_CONFIG_DIR!, 'config.json'), restore);
  await proxy?.close();
  await t?.close();
});

const onboard = () => runCli(['tenant', 'onboard', 'acme', '--provider-context', 'local-provider', '--tenant-context', 'local-acme', '-o', 'json'], { env: t.env });

describe('onboard without the bridge\'s tenant register', () => {
  it('prepares and joins; a re-run resumes from the bundle, saying the bridge cannot confirm it', async () => {
    const first = await onboard();
    expect(first.code, first.stderr).toBe(0);
    expect(first.json().steps.map((s: { step: string; outcome: string }) => `${s.step}:${s.outcome}`)).toEqual(['prepare:done', 'join:done', 'install:installed', 'identity-provider:created']);
    expect(proxy.refused).toEqual(['GET /portal/admin/tenants']);

    const again = await onboard();
    expect(again.code, again.stderr).toBe(0);
    const steps = again.json().steps as Array<{ step: string; outcome: string; detail?: string }>;
    expect(steps[0]).toMatchObject({ step: 'prepare', outcome: 'skipped' });
    expect(steps[0]!.detail).toMatch(/^already joined \(Sub-CA serial \d+\); this bridge keeps no tenant register to confirm it$/);
    expect(steps[1]).toMatchObject({ step: 'join', outcome: 'skipped' });
  });
});
