// `cdm stack simulate`: asks the running sandbox to start (or stop) a fleet of simulated devices
// for a tenant, and follows the enrollment until every device has enrolled or failed.
import { readFileSync } from 'node:fs';
import { CdmError, ConflictError, NotFoundError, UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { files } from '../../sandbox/stack/layout.js';
import { lockOwner } from '../../sandbox/stack/lock.js';
import { readSandboxInfo } from '../../sandbox/stack/host.js';

export interface SimulationRequest {
  tenant: string;
  devices: number;
  failRate: number;
  pollMs: number;
  cpuHot: number;
  seed: number;
}

export interface SimulationStatus {
  tenant: string;
  devices: number;
  enrolled: number;
  enrollFailed: number;
  polls: number;
  updatesStarted: number;
  updatesInstalled: number;
  updatesFailed: number;
  pollErrors: number;
  lastError?: string;
  running: boolean;
}

export interface Control {
  call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

export async function controlFor(f: Factory, stateDir: string): Promise<Control> {
  const info = readSandboxInfo(stateDir);
  if (!info || lockOwner(stateDir) === undefined) throw new NotFoundError(`no running sandbox in ${stateDir}`, { hint: 'cdm stack up --detach' });
  const token = (JSON.parse(readFileSync(files.secrets(stateDir), 'utf8')) as { controlToken: string }).controlToken;
  const http = await f.http();
  return {
    async call(method, path, body) {
      const res = await http.request({ service: 'sandbox', method, url: `${info.controlUrl}${path}`, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { json: body }), idempotent: method !== 'POST' });
      return { status: res.status, body: res.body.length ? res.json() : undefined };
    },
  };
}

function fail(status: number, body: unknown, what: string): never {
  const message = `${what}: ${(body as { error?: string } | undefined)?.error ?? `HTTP ${status}`}`;
  if (status === 409) throw new ConflictError(message, { service: 'sandbox', status, hint: 'stop it first: cdm stack simulate --tenant <id> --stop' });
  if (status === 404) throw new NotFoundError(message, { service: 'sandbox', status });
  if (status === 400) throw new UsageError(message);
  throw new CdmError(message, { service: 'sandbox', status });
}

export async function startSimulation(control: Control, req: SimulationRequest): Promise<SimulationStatus> {
  const res = await control.call('POST', '/simulations', req);
  if (res.status !== 202) fail(res.status, res.body, 'starting the simulation');
  return res.body as SimulationStatus;
}

export async function simulationStatus(control: Control, tenant: string): Promise<SimulationStatus> {
  const res = await control.call('GET', `/simulations/${encodeURIComponent(tenant)}`);
  if (res.status !== 200) fail(res.status, res.body, 'simulation status');
  return res.body as SimulationStatus;
}

export async function stopSimulation(control: Control, tenant: string): Promise<SimulationStatus> {
  const res = await control.call('DELETE', `/simulations/${encodeURIComponent(tenant)}`);
  if (res.status !== 200) fail(res.status, res.body, 'stopping the simulation');
  return res.body as SimulationStatus;
}
