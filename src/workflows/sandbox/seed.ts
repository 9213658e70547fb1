// `cdm stack seed`: asks the running sandbox to seed a tenant's fleet straight into its
// ThingsBoard, hawkBit and bridge (control API POST /seeds) and reports its progress until done.
import { CdmError, ConflictError, NotFoundError, UsageError } from '../../core/errors.js';
import type { Control } from './simulate.js';

export interface SeedRequest {
  tenant: string;
  devices: number;
  prefix: string;
  cpuHot: number;
  offline: number;
  seed: number;
}

export interface SeedStatus {
  tenant: string;
  devices: number;
  seeded: number;
  firstId: string;
  lastId: string;
  running: boolean;
  elapsedMs: number;
  error?: string;
}

function fail(status: number, body: unknown, what: string): never {
  const message = `${what}: ${(body as { error?: string } | undefined)?.error ?? `HTTP ${status}`}`;
  if (status === 409) throw new ConflictError(message, { service: 'sandbox', status });
  if (status === 404) throw new NotFoundError(message, { service: 'sandbox', status, hint: 'the tenant stack must be running: cdm stack up --detach --tenant <id>' });
  if (status === 400) throw new UsageError(message);
  throw new CdmError(message, { service: 'sandbox', status });
}

export async function startSeed(control: Control, req: SeedRequest): Promise<SeedStatus> {
  const res = await control.call('POST', '/seeds', req);
  if (res.status !== 202) fail(res.status, res.body, 'seeding the fleet');
  return res.body as SeedStatus;
}

export async function seedStatus(control: Control, tenant: string): Promise<SeedStatus> {
  const res = await control.call('GET', `/seeds/${encodeURIComponent(tenant)}`);
  if (res.status !== 200) fail(res.status, res.body, 'seed status');
  return res.body as SeedStatus;
}

/** Follows a started seed until it ends, reporting each step's count; a seed that failed is exit 1. */
export async function followSeed(control: Control, tenant: string, wait: (ms: number) => Promise<void>, onProgress: (seeded: number) => void): Promise<SeedStatus> {
  let status = await seedStatus(control, tenant);
  while (status.running) {
    onProgress(status.seeded);
    await wait(200);
    status = await seedStatus(control, tenant);
  }
  onProgress(status.seeded);
  if (status.error) {
    throw new CdmError(`seeding stopped after ${status.seeded} of ${status.devices} devices: ${status.error}`, {
      service: 'sandbox', hint: 'the devices seeded so far stay; seed the rest with another --prefix',
    });
  }
  return status;
}
