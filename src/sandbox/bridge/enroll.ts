// POST /devices/{device_id}/enroll (cdm-platform.md §2.2): CSR check (422 "Invalid CSR: …"),
// certificate from the tenant step-ca's `iot-bridge` provisioner (sub and SAN = device id), hawkBit
// target created when absent, ThingsBoard device with the certificate as X.509 credentials (what
// the docs promise, §10.3 #27), WireGuard address allocated, answer in upstream's
// EnrollmentResponse shape. Re-enrolling is allowed as upstream: a new certificate, the same IP.
// Upstream takes anyone; here a tenant-realm token with cdm-admin or cdm-operator is required.
import type { Router } from '../kit/router.js';
import { TENANT_WRITE_ROLES, type Caller } from './auth.js';
import { audit, type Bridge } from './context.js';
import { BackendError, BridgeError, httpError, InternalError, UnreachableError } from './errors.js';
import { readCert, readCsr } from './pki.js';
import { iso, lookup, setEntry, type DeviceRec } from './state.js';
import { readModel } from './validate.js';
import { clientConfig } from './wireguard.js';

/** Maps a backend failure to upstream's status and detail prefix for that step. */
export function backendFailure(err: unknown, service: string, failedText: string): Error {
  if (err instanceof BridgeError) return err;
  if (err instanceof UnreachableError) return httpError(503, `${service} unreachable: ${err.message}`);
  if (err instanceof BackendError) return httpError(502, `${failedText}: ${err.message}`);
  return err as Error;
}

/** Allocates (or keeps) the device's address and stores its record; 500 when the subnet is full. */
export function allocate(b: Bridge, deviceId: string, fill: (existing: boolean) => Partial<DeviceRec>): string {
  return b.store.patch((s, touch) => {
    const now = iso(b.now());
    touch('devices', deviceId);
    const found = lookup(s.devices, deviceId);
    if (found) {
      Object.assign(found, fill(true), { updated_at: now });
      return found.wireguard_ip;
    }
    const [ip] = b.addresses.lowestFree();
    if (!ip) throw new InternalError(`WireGuard subnet ${b.wireguard.subnet} exhausted`);
    setEntry(s.devices, deviceId, {
      device_id: deviceId, device_name: deviceId, device_type: 'generic', source: 'enroll', wireguard_ip: ip, wg_public_key: null,
      cert_serial: null, cert_not_after: null, hawkbit_controller_id: null, thingsboard_device_id: null,
      enrolled_at: now, updated_at: now, ...fill(false),
    });
    b.addresses.take(ip);
    return ip;
  });
}

export function registerEnrollRoute(router: Router, b: Bridge): void {
  router.post('/devices/:deviceId/enroll', async (ctx) => {
    const caller: Caller = await b.tokens.require(ctx, TENANT_WRITE_ROLES);
    const deviceId = ctx.params['deviceId']!;
    const body = await readModel(ctx, {
      csr: { kind: 'string', required: true },
      device_name: { kind: 'string', required: true },
      device_type: { kind: 'string', required: false, default: 'generic' },
      wg_public_key: { kind: 'string', required: false, default: null, nullable: true },
    });
    const csr = body['csr'] as string;
    const name = body['device_name'] as string;
    const type = body['device_type'] as string;
    const wgKey = body['wg_public_key'] as string | null;
    try {
      try { await readCsr(csr); } catch (err) { throw httpError(422, `Invalid CSR: ${(err as Error).message}`); }
      const s = b.opts.stepca;
      const signed = await b.stepca.sign(csr, s.provisioner, s.provisionerPassword, deviceId, [deviceId])
        .catch((err: unknown) => { throw backendFailure(err, 'step-ca', 'PKI signing failed'); });
      let hawkbitId: string | null = null;
      if (b.hawkbit) {
        const hb = b.hawkbit;
        await (async () => { if (!(await hb.exists(deviceId))) await hb.create(deviceId, name); })()
          .catch((err: unknown) => { throw backendFailure(err, 'hawkBit', 'hawkBit provisioning failed'); });
        hawkbitId = deviceId;
      }
      let tbId: string | null = null;
      if (b.thingsboard) {
        tbId = await b.thingsboard.upsertX509Device(deviceId, name, type, signed.crt)
          .catch((err: unknown) => { throw backendFailure(err, 'ThingsBoard', 'ThingsBoard provisioning failed'); });
      }
      const cert = readCert(signed.crt);
      const ip = allocate(b, deviceId, (existing) => ({
        device_name: name, device_type: type, source: 'enroll', cert_serial: cert.serial, cert_not_after: cert.notAfter,
        hawkbit_controller_id: hawkbitId, thingsboard_device_id: tbId,
        ...(wgKey !== null || !existing ? { wg_public_key: wgKey } : {}),
      }));
      audit(b, {
        action: 'device.enroll', actor: caller.name, target: deviceId, outcome: 'success',
        details: { device_name: name, device_type: type, wireguard_ip: ip, cert_serial: cert.serial, cert_not_after: cert.notAfter, thingsboard_device_id: tbId },
      });
      ctx.send(200, { certificate: signed.crt, ca_chain: signed.ca, wireguard_ip: ip, wireguard_config: clientConfig(b.wireguard, deviceId, ip) });
    } catch (err) {
      const reason = err instanceof BridgeError && typeof err.detail === 'string' ? err.detail : (err as Error).message;
      audit(b, { action: 'device.enroll', actor: caller.name, target: deviceId, outcome: 'failure', details: { device_name: name, reason } });
      throw err;
    }
  });
}
