// The two targets of the RabbitMQ conformance suite: the sandbox emulator (always) and a real
// RabbitMQ node started through the project's own scripts on free loopback ports.
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createRabbitMqEmulator } from '../../../src/sandbox/rabbitmq/index.js';
import { startEmulatorServer } from '../../../src/sandbox/kit/server.js';
import type { Credentials } from './client.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const SCRIPTS = join(REPO, 'scripts/real-servers');
export const RABBITMQ_SERVER_BIN = '/usr/lib/rabbitmq/bin/rabbitmq-server';
export const INSTALL_SCRIPT = 'scripts/real-servers/rabbitmq-install.sh';

/** Same credentials on both targets, as the real node's default_user seeds them. */
export const ADMIN: Credentials = { user: 'cdmadmin', password: 'cdmadmin-pw' };

export interface Started {
  /** Base URL without `/api`. */
  url: string;
  stop(): Promise<void>;
}

export async function startEmulator(): Promise<Started> {
  const server = await startEmulatorServer(createRabbitMqEmulator({ adminUser: ADMIN.user, adminPassword: ADMIN.password }), { port: 0 });
  return { url: server.url, stop: () => server.close() };
}

export function realServerInstalled(): boolean {
  return existsSync(RABBITMQ_SERVER_BIN);
}

/** Starts a fresh isolated node under .real-servers/ (about 10 s) and returns how to stop and remove it. */
export async function startRealNode(): Promise<Started> {
  const [mgmt, amqp, dist, epmd] = await freePorts(4);
  const dir = join(REPO, '.real-servers', `rabbitmq-conformance-${mgmt}`);
  const args = ['--dir', dir, '--fresh', '--mgmt-port', `${mgmt}`, '--amqp-port', `${amqp}`, '--dist-port', `${dist}`,
    '--epmd-port', `${epmd}`, '--admin-user', ADMIN.user, '--admin-password', ADMIN.password];
  const stop = async (): Promise<void> => {
    await run('bash', [join(SCRIPTS, 'rabbitmq-stop.sh'), '--dir', dir], { timeout: 60_000 });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run('bash', [join(SCRIPTS, 'rabbitmq-start.sh'), ...args], { timeout: 150_000 });
  } catch (err) {
    await stop().catch(() => undefined);
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`rabbitmq-start.sh failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
  return { url: `http://127.0.0.1:${mgmt}`, stop };
}

/** Ports the OS hands out, held open together so they are distinct. */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => ok(s));
  })));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((ok) => s.close(ok))));
  return ports;
}
