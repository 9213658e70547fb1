// Bad input to the debug verbs is exit 2 with nothing sent: no TCP connection to the jump host
// (a counting listener stands in for it) and no request to the bridge.
import { execFileSync } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempConfigEnv } from '../../helpers/run-cli.js';
import { loggedInContext, startBridgeStub, type BridgeStub } from './bridge-stub.js';
import { tempDir } from '../../helpers/temp.js';

let listener: Server;
let connections = 0;
let jump: string;
let bridge: BridgeStub;
let env: NodeJS.ProcessEnv;
const keys = tempDir('cdm-keys-');

beforeAll(async () => {
  listener = createServer((s) => { connections++; s.destroy(); });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  jump = `root@127.0.0.1:${(listener.address() as AddressInfo).port}`;
  bridge = await startBridgeStub([{ device_id: 'dev-1', wireguard_ip: '10.8.0.2' }]);
  env = tempConfigEnv();
  await loggedInContext(env, bridge.url, jump);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret-pass', '-f', join(keys, 'locked')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(keys, 'plain')]);
});

afterAll(async () => {
  await new Promise((r) => listener.close(r));
  await bridge.close();
});

const ID = () => ['-i', join(keys, 'plain')];

describe('debug verbs: bad input is exit 2 and sends nothing', () => {
  it.each([
    ['--jump without user', () => ['debug', 'ssh', 'dev-1', '--jump', 'bad', ...ID(), '--', 'true'], '--jump: invalid jump host "bad"'],
    ['--jump with a bad port', () => ['debug', 'ssh', 'dev-1', '--jump', 'ops@h:99999', ...ID(), '--', 'true'], 'jump port'],
    ['--concurrency 0', () => ['debug', 'exec', '--devices', 'dev-1', '--concurrency', '0', ...ID(), '--', 'true'], '--concurrency'],
    ['--port 0', () => ['debug', 'ssh', 'dev-1', '--port', '0', ...ID(), '--', 'true'], '--port'],
    ['--host that is not an address', () => ['debug', 'ssh', 'dev-1', '--host', 'a;b', ...ID(), '--', 'true'], '--host'],
    ['--user with a space', () => ['debug', 'ssh', 'dev-1', '--user', 'a b', ...ID(), '--', 'true'], '--user'],
    ['--unit that would inject', () => ['debug', 'logs', 'dev-1', '--unit', 'x;reboot', ...ID()], '--unit'],
    ['-n 0', () => ['debug', 'logs', 'dev-1', '-n', '0', ...ID()], 'line count'],
    ['--query that does not parse', () => ['debug', 'exec', '--query', 'colour==red', ...ID(), '--', 'true'], '--query'],
    ['exec without a command', () => ['debug', 'exec', '--devices', 'dev-1', ...ID()], 'no command'],
    ['exec with both --devices and --query', () => ['debug', 'exec', '--devices', 'dev-1', '--query', 'device_id==x', ...ID(), '--', 'true'], 'exactly one'],
    ['exec with neither', () => ['debug', 'exec', ...ID(), '--', 'true'], 'exactly one'],
    ['a missing identity file', () => ['debug', 'ssh', 'dev-1', '-i', join(keys, 'nope'), '--', 'true'], 'ENOENT'],
    ['a public key as identity', () => ['debug', 'ssh', 'dev-1', '-i', join(keys, 'plain.pub'), '--', 'true'], 'public key'],
    ['a passphrase-protected identity without a terminal', () => ['debug', 'ssh', 'dev-1', '-i', join(keys, 'locked'), '--', 'true'], 'passphrase'],
    ['no identity and no agent', () => ['debug', 'ssh', 'dev-1', '--', 'true'], 'SSH_AUTH_SOCK'],
  ])('%s', async (_name, argv, message) => {
    const before = { connections, requests: bridge.requests.length };
    const res = await runCli(argv(), { env });
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toContain(message);
    expect(connections).toBe(before.connections);
    expect(bridge.requests.length).toBe(before.requests);
  });

  it('the passphrase refusal says how to do it without a prompt', async () => {
    const res = await runCli(['debug', 'ssh', 'dev-1', '-i', join(keys, 'locked'), '--', 'true'], { env });
    expect(res.stderr).toContain(`ssh-add ${join(keys, 'locked')}`);
  });
});
