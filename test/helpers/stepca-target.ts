// The two step-ca targets of the conformance suite: the sandbox emulator behind a real HTTPS
// listener, and the real step-ca 0.19 built by scripts/real-servers/stepca-build.sh, started on
// a freshly initialised CA dir with the project's own scripts.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createStepCaEmulator, type StepCaEmulatorOptions } from '../../src/sandbox/stepca/index.js';
import { tempDir } from './temp.js';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const STEP_CA_BIN = join(REPO, '.real-servers', 'step-ca', 'bin', 'step-ca');
export const MISSING_BINARY_MESSAGE =
  `step-ca binary missing (${STEP_CA_BIN}): run scripts/real-servers/stepca-install.sh && scripts/real-servers/stepca-build.sh`;

export interface StepCaTarget {
  name: string;
  url: string;
  rootPem: string;
  rootFingerprint: string;
  password: string;
  dir: string;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createNetServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => res(port));
    });
  });
}

export type EmulatorTarget = StepCaTarget & { emulator: ReturnType<typeof createStepCaEmulator>; server: Server };

export async function startEmulatorTarget(opts: Partial<StepCaEmulatorOptions> & { dir?: string } = {}): Promise<EmulatorTarget> {
  const dir = opts.dir ?? tempDir('cdm-stepca-emu-');
  const port = await freePort();
  const url = `https://127.0.0.1:${port}`;
  const password = opts.provisionerPassword ?? 'changeme';
  const emulator = createStepCaEmulator({ kind: 'provider', ...opts, dir, publicUrl: url, provisionerPassword: password });
  const server = createHttpsServer({ ...emulator.tls }, (req, res) => { void emulator.handle(req, res); });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    name: 'emulator', url, password, dir, emulator, server,
    rootPem: readFileSync(join(dir, 'certs', 'root_ca.crt'), 'utf8'),
    rootFingerprint: emulator.rootFingerprint(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await emulator.close?.();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startRealTarget(kind: 'provider' | 'tenant' = 'provider'): Promise<StepCaTarget> {
  if (!existsSync(STEP_CA_BIN)) throw new Error(MISSING_BINARY_MESSAGE);
  const dir = tempDir('cdm-stepca-real-');
  const port = await freePort();
  const password = 'changeme';
  const out = execFileSync('node', [join(REPO, 'scripts/real-servers/stepca-init.mjs'), join(dir, 'ca'),
    '--port', String(port), '--kind', kind, '--password', password, '--provisioner-password', password], { encoding: 'utf8' });
  const initInfo = JSON.parse(out) as { url: string; rootFingerprint: string };
  execFileSync(join(REPO, 'scripts/real-servers/stepca-start.sh'), [join(dir, 'ca')], { stdio: 'pipe' });
  return {
    name: 'real step-ca 0.19', url: initInfo.url, password, dir: join(dir, 'ca'),
    rootPem: readFileSync(join(dir, 'ca', 'certs', 'root_ca.crt'), 'utf8'),
    rootFingerprint: initInfo.rootFingerprint,
    close: async () => {
      execFileSync(join(REPO, 'scripts/real-servers/stepca-stop.sh'), [join(dir, 'ca')], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
