// `cdm debug` and the bridge's device lookup (commands.md §7), against a loopback stub: the
// bearer goes along, an unknown device is exit 3, and a bridge WITHOUT the route (upstream's
// iot-bridge-api) is exit 1 naming the missing call and the manual way. None of these refusals
// opens an SSH connection (a counting listener stands in for the jump host).
import { execFileSync } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CredentialStore } from '../../src/config/credentials.js';
import { resolvePaths } from '../../src/config/paths.js';
import { runCli, tempConfigEnv } from '../helpers/run-cli.js';
import { loggedInContext, startBridgeStub, type BridgeStub } from '../unit/ssh/bridge-stub.js';
import { tempDir } from '../helpers/temp.js';

let listener: Server;
let connections = 0;
let jump: string;
let bridge: BridgeStub;
let env: NodeJS.ProcessEnv;
let key: string;

beforeAll(async () => {
  listener = createServer((s) => { connections++; s.destroy(); });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  jump = `root@127.0.0.1:${(listener.address() as AddressInfo).port}`;
  bridge = await startBridgeStub([{ device_id: 'dev-1', wireguard_ip: '10.13.0.2' }, { device_id: 'gw-1', wireguard_ip: '10.13.0.3' }, { device_id: 'no-wg', wireguard_ip: null }, { device_id: 'no-key', wireguard_ip: '10.13.0.4', wg_public_key: null }]);
  env = tempConfigEnv();
  await loggedInContext(env, bridge.url, jump);
  key = join(tempDir('cdm-key-'), 'id');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
});
afterAll(async () => {
  await new Promise((r) => listener.close(r));
  await bridge.close();
});
beforeEach(() => { bridge.routes = true; connections = 0; });

/** `cdm debug …` with the identity flag placed before the `--` of the remote command. */
function debug(...args: string[]) {
  const dash = args.indexOf('--');
  const head = dash === -1 ? args : args.slice(0, dash);
  return runCli(['debug', ...head, '-i', key, ...(dash === -1 ? [] : args.slice(dash))], { env });
}

describe('debug: the bridge device lookup', () => {
  it('looks the device up with the bearer, then goes to the jump host (here: one that hangs up → exit 1 naming it)', async () => {
    const res = await debug('ssh', 'dev-1', '--', 'true');
    expect(bridge.requests.at(-1)).toEqual({ call: 'GET /devices/dev-1', bearer: true });
    expect(connections).toBe(1);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`jump host ${jump}`);
  });

  it('a device without a WireGuard IP is exit 1 saying so, and nothing is connected', async () => {
    const res = await debug('ssh', 'no-wg', '--', 'true');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('device "no-wg" has no WireGuard IP');
    expect(connections).toBe(0);
  });

  it('a device whose WireGuard key the bridge never got (no peer) is exit 1 saying so, and nothing is connected', async () => {
    const res = await debug('ssh', 'no-key', '--', 'true');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('device "no-key" has a WireGuard IP but no WireGuard key at the bridge, so the bridge wrote no peer for it');
    expect(res.stderr).toContain('--host <ip>');
    expect(connections).toBe(0);
  });

  it('an unknown device is exit 3, and nothing is connected', async () => {
    const res = await debug('ssh', 'nope', '--', 'true');
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('device "nope" is not enrolled at the bridge');
    expect(connections).toBe(0);
  });

  it('a bridge without GET /devices/{id} (upstream: 404 on the route) is exit 1 naming the call and the manual way', async () => {
    bridge.routes = false;
    const res = await debug('logs', 'dev-1');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('does not provide GET /devices/{id}');
    expect(res.stderr).toContain('cdm_peers.json');
    expect(res.stderr).toContain('--host <ip>');
    expect(connections).toBe(0);
  });

  it('405 on the route is the same missing-route refusal', async () => {
    bridge.routes = 405;
    const res = await debug('ssh', 'dev-1', '-o', 'json', '--', 'true');
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stderr).error).toMatchObject({ code: 'backend', service: 'bridge', status: 405 });
  });

  it('--query needs GET /devices: without it, exit 1 naming that call', async () => {
    bridge.routes = false;
    const res = await debug('exec', '--query', 'device_id==*', '--', 'true');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('does not provide GET /devices ');
  });

  it('--query: devices without a WireGuard IP or key get their reason and no connection; the run is exit 6', async () => {
    // A context without the jump host (the harness's hangs up): the devices fail before any connection.
    const direct = tempConfigEnv();
    await loggedInContext(direct, bridge.url);
    const res = await runCli(['debug', 'exec', '--query', 'device_id==no-*', '-i', key, '-o', 'json', '--', 'true'], { env: direct });
    expect(res.code, res.stderr).toBe(6);
    const items = res.json().items as Array<{ device: string; error: string }>;
    expect(items.map((i) => [i.device, i.error])).toEqual([
      ['no-wg', expect.stringContaining('has no WireGuard IP')],
      ['no-key', expect.stringContaining('no WireGuard key at the bridge')],
    ]);
    expect(connections).toBe(0);
  });

  it('--query matching nothing is exit 3 before any connection', async () => {
    const res = await debug('exec', '--query', 'device_id==sensor-*', '--', 'true');
    expect(res.code).toBe(3);
    expect(connections).toBe(0);
  });

  it('a token the bridge refuses is exit 4; no session at all is exit 4 too', async () => {
    const other = tempConfigEnv();
    await loggedInContext(other, bridge.url, jump);
    const store = new CredentialStore(resolvePaths(other));
    store.setTokens('acme', { ...store.tokens('acme')!, accessToken: 'forged' });
    const refused = await runCli(['debug', 'ssh', 'dev-1', '-i', key, '--', 'true'], { env: other });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('bridge: GET /devices/dev-1: Not authenticated');
    store.setTokens('acme', undefined);
    const none = await runCli(['debug', 'ssh', 'dev-1', '-i', key, '--', 'true'], { env: other });
    expect(none.code).toBe(4);
    expect(connections).toBe(0);
  });

  it('a context without a bridge URL is exit 2 pointing at --host', async () => {
    const bare = tempConfigEnv();
    await runCli(['context', 'add', 'lab', '--kind', 'tenant', '--tenant', 'lab', '--use'], { env: bare });
    const res = await runCli(['debug', 'ssh', 'dev-1', '-i', key, '--', 'true'], { env: bare });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('has no bridge URL');
    expect(res.stderr).toContain('--host');
  });
});
