// One simulated device: enrolls through the tenant bridge, polls hawkBit's DDI, downloads and
// installs updates (succeeding or failing as drawn), reports feedback, and sends the telemetry
// CDM devices send (cpu_percent, disk_percent, sw_version, ota_status, rauc_slot). Telemetry goes
// straight into the ThingsBoard emulator, standing in for the device's MQTT connection.
import type { HttpClient, HttpReply } from '../bridge/http-client.js';
import { deviceCsr, wireguardKeyPair } from './keys.js';

export interface DeviceLinks {
  bridge: HttpClient;
  /** Authorization header for the tenant bridge (a tenant-realm bearer with cdm-operator). */
  bridgeAuth: () => Promise<string>;
  hawkbit: HttpClient;
  /** Basic auth of hawkBit's Management API: used once, to read the target's security token. */
  hawkbitBasic: string;
  hawkbitTenant: string;
  telemetry: {
    postTelemetry(device: string, values: Record<string, unknown>, ts?: number): void;
    reportActivity(device: string): void;
    raiseAlarm(device: string, type: string, severity: string, details?: unknown): void;
  };
}

export interface DeviceBehaviour {
  failRate: number;
  /** Runs hot: CPU above 85 %. */
  hot: boolean;
  rng: () => number;
}

interface PendingUpdate {
  actionId: string;
  version: string;
  fail: boolean;
}

export type OtaStatus = 'idle' | 'installing' | 'success' | 'failed';

export class SimulatedDevice {
  enrolled = false;
  wireguardIp: string | undefined;
  swVersion = '1.0.0';
  slot: 'A' | 'B' = 'A';
  ota: OtaStatus = 'idle';
  private token: string | undefined;
  private pending: PendingUpdate | undefined;
  private disk: number;

  constructor(readonly id: string, private readonly links: DeviceLinks, private readonly behaviour: DeviceBehaviour) {
    this.disk = 20 + behaviour.rng() * 40;
  }

  async enroll(): Promise<void> {
    const csr = await deviceCsr(this.id);
    const wg = wireguardKeyPair();
    const res = await this.links.bridge.call('POST', `/devices/${encodeURIComponent(this.id)}/enroll`, {
      headers: { authorization: await this.links.bridgeAuth() },
      body: { csr, device_name: this.id, device_type: 'cdm-sim-board', wg_public_key: wg.publicKey },
    });
    expectStatus(res, [200, 201], 'enroll');
    this.wireguardIp = (res.json as { wireguard_ip?: string } | undefined)?.wireguard_ip;
    // Upstream's bridge does not hand the device its DDI token; a provisioning step would.
    const target = await this.links.hawkbit.call('GET', `/rest/v1/targets/${encodeURIComponent(this.id)}`, { headers: { authorization: this.links.hawkbitBasic } });
    expectStatus(target, [200], 'read target token');
    this.token = (target.json as { securityToken?: string }).securityToken;
    this.enrolled = true;
  }

  /** One poll cycle: telemetry, then the update step that is due. */
  async poll(): Promise<'installed' | 'failed' | 'started' | 'idle'> {
    if (!this.enrolled) return 'idle';
    const outcome = this.pending ? await this.finishUpdate() : await this.checkForUpdate();
    this.sendTelemetry();
    return outcome;
  }

  private async checkForUpdate(): Promise<'started' | 'idle'> {
    const base = await this.ddi('GET', '');
    expectStatus(base, [200], 'DDI poll');
    const links = (base.json as { _links?: Record<string, { href: string }> })._links ?? {};
    if (links.cancelAction) {
      const cancel = await this.ddi('GET', pathOf(links.cancelAction.href));
      const id = (cancel.json as { id?: string }).id;
      if (id) await this.ddi('POST', `${pathOf(links.cancelAction.href).replace(/\/?$/, '')}/feedback`, { id, status: { execution: 'closed', result: { finished: 'success' } } });
      return 'idle';
    }
    if (!links.deploymentBase) return 'idle';
    const href = pathOf(links.deploymentBase.href);
    const deployment = await this.ddi('GET', href);
    expectStatus(deployment, [200], 'deploymentBase');
    const body = deployment.json as { id: string; deployment: { chunks: Array<{ version: string; artifacts?: Array<{ _links?: Record<string, { href: string }> }> }> } };
    const chunk = body.deployment.chunks[0];
    const download = chunk?.artifacts?.[0]?._links?.['download-http'] ?? chunk?.artifacts?.[0]?._links?.download;
    if (download) {
      const artifact = await this.ddi('GET', pathOf(download.href));
      expectStatus(artifact, [200], 'artifact download');
    }
    await this.feedback(body.id, 'proceeding', 'none');
    this.pending = { actionId: body.id, version: chunk?.version ?? 'unknown', fail: this.behaviour.rng() < this.behaviour.failRate };
    this.ota = 'installing';
    return 'started';
  }

  private async finishUpdate(): Promise<'installed' | 'failed'> {
    const p = this.pending!;
    this.pending = undefined;
    if (p.fail) {
      await this.feedback(p.actionId, 'closed', 'failure', ['RAUC install failed: signature verification failed (simulated)']);
      this.ota = 'failed';
      this.links.telemetry.raiseAlarm(this.id, 'OTA Failure', 'CRITICAL', { actionId: p.actionId, version: p.version });
      return 'failed';
    }
    await this.feedback(p.actionId, 'closed', 'success', [`installed ${p.version} into slot ${this.slot === 'A' ? 'B' : 'A'}`]);
    this.slot = this.slot === 'A' ? 'B' : 'A';
    this.swVersion = p.version;
    this.ota = 'success';
    return 'installed';
  }

  private async feedback(actionId: string, execution: string, finished: string, details: string[] = []): Promise<void> {
    const res = await this.ddi('POST', `/deploymentBase/${actionId}/feedback`, { id: actionId, status: { execution, result: { finished }, details } });
    expectStatus(res, [200, 204], 'feedback');
  }

  private sendTelemetry(): void {
    const r = this.behaviour.rng;
    this.disk = Math.min(99, this.disk + r() * 0.5);
    this.links.telemetry.reportActivity(this.id);
    this.links.telemetry.postTelemetry(this.id, {
      cpu_percent: round(this.behaviour.hot ? 85 + r() * 14 : 5 + r() * 35),
      disk_percent: round(this.disk),
      sw_version: this.swVersion,
      ota_status: this.ota,
      rauc_slot: this.slot,
    });
  }

  private ddi(method: string, path: string, body?: unknown): Promise<HttpReply> {
    // Paths from _links are absolute on the controller; relative ones hang off the controller base.
    const base = `/${this.links.hawkbitTenant}/controller/v1/${encodeURIComponent(this.id)}`;
    const full = path.startsWith(base) || path.startsWith('/') && path.includes('/controller/v1/') ? path : `${base}${path}`;
    return this.links.hawkbit.call(method, full, { headers: { authorization: `TargetToken ${this.token ?? ''}` }, ...(body === undefined ? {} : { body }) });
  }
}

function pathOf(href: string): string {
  const u = new URL(href);
  return `${u.pathname}${u.search}`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function expectStatus(res: HttpReply, ok: number[], what: string): void {
  if (!ok.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
}
