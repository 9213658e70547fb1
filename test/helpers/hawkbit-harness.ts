// Test harness for the hawkBit emulator: serves it on 127.0.0.1:0 with node:http, and gives a
// Management API client (Basic admin/admin) and simulated DDI devices (TargetToken).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHawkbitEmulator, type HawkbitEmulator, type HawkbitEmulatorOptions } from '../../src/sandbox/hawkbit/index.js';

export interface Reply { status: number; headers: Headers; text: string; json: any }

export interface Harness {
  url: string;
  emu: HawkbitEmulator;
  /** Management API call as admin (or with `auth` as the Authorization header; `null` sends none). */
  mgmt(method: string, path: string, body?: unknown, auth?: string | null): Promise<Reply>;
  raw(method: string, path: string, init?: { body?: BodyInit; headers?: Record<string, string> }): Promise<Reply>;
  close(): Promise<void>;
  /** Simulated clock (ms), advanced by tests. */
  clock: { now: number };
}

export const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export async function startHawkbit(overrides: Partial<HawkbitEmulatorOptions> = {}): Promise<Harness> {
  const clock = { now: 1_767_225_600_000 };
  let url = '';
  const opts: HawkbitEmulatorOptions = {
    tenant: 'DEFAULT', users: [{ username: 'admin', password: 'admin' }], publicUrl: 'http://placeholder.invalid',
    now: () => clock.now, schedulerIntervalMs: 0, ...overrides,
  };
  // The public URL must name the real port, so the emulator is created once the port is known.
  const holder: { emu?: HawkbitEmulator } = {};
  const server: Server = createServer((req, res) => void holder.emu!.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const emu = createHawkbitEmulator({ ...opts, publicUrl: overrides.publicUrl ?? url });
  holder.emu = emu;
  const raw = async (method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}): Promise<Reply> => {
    const res = await fetch(`${url}${path}`, { method, ...init });
    const text = await res.text();
    let json: unknown;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
    return { status: res.status, headers: res.headers, text, json };
  };
  return {
    url, emu, clock, raw,
    mgmt: (method, path, body, auth = basic('admin', 'admin')) => {
      const headers: Record<string, string> = {};
      if (auth !== null) headers.authorization = auth;
      let payload: string | undefined;
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        payload = typeof body === 'string' ? body : JSON.stringify(body);
      }
      return raw(method, path, { headers, ...(payload === undefined ? {} : { body: payload }) });
    },
    close: async () => {
      await emu.close?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A device talking DDI with its target token. */
export class Device {
  constructor(private readonly h: Harness, readonly controllerId: string, readonly token: string, private readonly tenant = 'DEFAULT') {}

  private get base(): string {
    return `/${this.tenant}/controller/v1/${encodeURIComponent(this.controllerId)}`;
  }

  call(method: string, sub: string, body?: unknown): Promise<Reply> {
    const headers: Record<string, string> = { authorization: `TargetToken ${this.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return this.h.raw(method, `${this.base}${sub}`, { headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  }

  poll(): Promise<Reply> {
    return this.call('GET', '');
  }

  /** Polls and returns the action id of the deploymentBase link, if any. */
  async pendingAction(): Promise<number | undefined> {
    const r = await this.poll();
    const href: string | undefined = r.json?._links?.deploymentBase?.href;
    if (!href) return undefined;
    return Number(new URL(href).pathname.split('/').pop());
  }

  feedback(actionId: number, execution: string, finished: string, extra: Record<string, unknown> = {}): Promise<Reply> {
    return this.call('POST', `/deploymentBase/${actionId}/feedback`, { status: { execution, result: { finished }, ...extra } });
  }

  /** Polls, fetches the deployment and reports `closed` with the given result. Returns the action id. */
  async install(result: 'success' | 'failure'): Promise<number> {
    const id = await this.pendingAction();
    if (id === undefined) throw new Error(`${this.controllerId}: nothing to install`);
    const base = await this.call('GET', `/deploymentBase/${id}`);
    if (base.status !== 200) throw new Error(`${this.controllerId}: deploymentBase ${base.status}`);
    const fb = await this.feedback(id, 'closed', result);
    if (fb.status !== 200) throw new Error(`${this.controllerId}: feedback ${fb.status}`);
    return id;
  }
}

/** Creates targets and returns them as devices. */
export async function createDevices(h: Harness, ids: string[]): Promise<Device[]> {
  const r = await h.mgmt('POST', '/rest/v1/targets', ids.map((controllerId) => ({ controllerId })));
  if (r.status !== 201) throw new Error(`create targets: ${r.status} ${r.text}`);
  return (r.json as Array<{ controllerId: string; securityToken: string }>).map((t) => new Device(h, t.controllerId, t.securityToken));
}

/** Creates an `os` module with one artifact and a complete `os` distribution set; returns the DS id and module id. */
export async function createRelease(h: Harness, version: string): Promise<{ dsId: number; smId: number }> {
  const sm = await h.mgmt('POST', '/rest/v1/softwaremodules', [{ name: 'cdm-os', version, type: 'os' }]);
  const smId = sm.json[0].id as number;
  const form = new FormData();
  form.append('file', new Blob([Buffer.from(`image ${version}`)]), `cdm-os-${version}.raucb`);
  const up = await h.raw('POST', `/rest/v1/softwaremodules/${smId}/artifacts`, { body: form, headers: { authorization: basic('admin', 'admin') } });
  if (up.status !== 201) throw new Error(`upload: ${up.status} ${up.text}`);
  const ds = await h.mgmt('POST', '/rest/v1/distributionsets', [{ name: 'cdm-release', version, type: 'os', modules: [{ id: smId }] }]);
  if (ds.status !== 201) throw new Error(`ds: ${ds.status} ${ds.text}`);
  return { dsId: ds.json[0].id as number, smId };
}
