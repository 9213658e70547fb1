// Emulator behaviour the conformance suite cannot show on a real node: persistence across
// restarts of the sandbox, and names that are JavaScript property names.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulatorServer, type RunningEmulator } from '../../../src/sandbox/kit/server.js';
import { createRabbitMqEmulator } from '../../../src/sandbox/rabbitmq/index.js';
import { JsonStore } from '../../../src/sandbox/kit/store.js';
import { tempDir } from '../../helpers/temp.js';

const auth = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const open: RunningEmulator[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function serve(stateFile: string | undefined, adminPassword: string): Promise<RunningEmulator> {
  const s = await startEmulatorServer(createRabbitMqEmulator({ stateFile, adminUser: 'admin', adminPassword }), { port: 0 });
  open.push(s);
  return s;
}

describe('rabbitmq emulator', () => {
  it('keeps its state in the state file; an existing file wins over the admin seed, as on a real node', async () => {
    const dir = tempDir('cdm-rabbit-');
    dirs.push(dir);
    const file = join(dir, 'rabbitmq.json');
    const first = await serve(file, 'pw-1');
    const put = await fetch(`${first.url}/api/vhosts/acme`, { method: 'PUT', headers: { authorization: auth('admin', 'pw-1') }, body: '{}' });
    expect(put.status).toBe(201);
    await first.close();
    expect(Object.keys(JsonStore.read<{ vhosts: object }>(file)!.vhosts)).toEqual(['/', 'acme']);

    const second = await serve(file, 'pw-2');
    expect((await fetch(`${second.url}/api/whoami`, { headers: { authorization: auth('admin', 'pw-2') } })).status).toBe(401);
    const got = await fetch(`${second.url}/api/vhosts/acme`, { headers: { authorization: auth('admin', 'pw-1') } });
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ name: 'acme' });
  });

  it('treats __proto__ and constructor as ordinary names', async () => {
    const s = await serve(undefined, 'pw');
    const headers = { authorization: auth('admin', 'pw') };
    for (const name of ['__proto__', 'constructor']) {
      expect((await fetch(`${s.url}/api/vhosts/${name}`, { headers })).status).toBe(404);
      expect((await fetch(`${s.url}/api/vhosts/${name}`, { method: 'PUT', headers, body: '{}' })).status).toBe(201);
      expect(await (await fetch(`${s.url}/api/vhosts/${name}`, { headers })).json()).toMatchObject({ name });
    }
    const names = (await (await fetch(`${s.url}/api/vhosts`, { headers })).json() as Array<{ name: string }>).map((v) => v.name);
    expect(names).toEqual(['/', '__proto__', 'constructor']);
  });

  it('answers HEAD like GET without a body', async () => {
    const s = await serve(undefined, 'pw');
    const r = await fetch(`${s.url}/api/overview`, { method: 'HEAD', headers: { authorization: auth('admin', 'pw') } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(await r.text()).toBe('');
  });
});
