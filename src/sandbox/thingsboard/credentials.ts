// Device credentials (B.4 DeviceCredentials): ACCESS_TOKEN (the token is the credentialsId),
// X509_CERTIFICATE (the PEM is stored trimmed of its armour and line breaks, credentialsId is the
// SHA3-256 of that text, as DeviceCredentialsServiceImpl.formatCertData does) and MQTT_BASIC
// (credentialsId derived from client id and user name). credentialsIds are unique per server.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { FieldIndex } from '../kit/field-index.js';
import type { Router } from '../kit/router.js';
import { isObject, jsonBody, ok, tenantOnly, type Tb } from './api.js';
import { byCaller, logAction } from './audit.js';
import { badRequest, conflict, general, notFound, parseUuid } from './errors.js';
import { entityId, findDevice, type CredentialsRec, type TbState } from './state.js';

export const CREDENTIALS_TYPES = ['ACCESS_TOKEN', 'X509_CERTIFICATE', 'MQTT_BASIC', 'LWM2M_CREDENTIALS'] as const;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** StringUtils.randomAlphanumeric(20), what ThingsBoard generates when no accessToken is given. */
export function randomToken(): string {
  const bytes = randomBytes(20);
  return Array.from(bytes, (b) => ALNUM[b % ALNUM.length]).join('');
}

const sha3 = (text: string): string => createHash('sha3-256').update(text, 'utf8').digest('hex');

/** EncryptionUtil.certTrimNewLines. */
const certTrim = (pem: string): string =>
  pem.replaceAll('-----BEGIN CERTIFICATE-----', '').replaceAll('\n', '').replaceAll('\r', '').replaceAll('-----END CERTIFICATE-----', '');

export interface CredentialsInput { credentialsType: string; credentialsId: string; credentialsValue: string | null }

/** Normalises credentials as the service does before validating them; throws its refusals. */
export function formatCredentials(raw: Record<string, unknown>): CredentialsInput {
  const type = raw['credentialsType'];
  if (type === undefined || type === null) throw badRequest('Device credentials type should be specified!');
  if (typeof type !== 'string' || !(CREDENTIALS_TYPES as readonly string[]).includes(type)) {
    throw badRequest(`JSON parse error: Cannot deserialize value of type \`org.thingsboard.server.common.data.security.DeviceCredentialsType\` from String "${String(type)}": not one of the values accepted for Enum class: [${CREDENTIALS_TYPES.join(', ')}]`);
  }
  const id = typeof raw['credentialsId'] === 'string' ? raw['credentialsId'] : '';
  const value = typeof raw['credentialsValue'] === 'string' ? raw['credentialsValue'] : null;
  switch (type) {
    case 'X509_CERTIFICATE': {
      // The real service dereferences the value without a null check.
      if (value === null) throw general('Cannot invoke "String.replaceAll(String, String)" because "input" is null');
      const cert = certTrim(value);
      return { credentialsType: type, credentialsId: sha3(cert), credentialsValue: cert };
    }
    case 'MQTT_BASIC': return mqttBasic(value);
    case 'LWM2M_CREDENTIALS': throw badRequest('Invalid credentials body for LwM2M credentials!');
    default:
      if (!id) throw badRequest('Device credentials id should be specified!');
      if (/\s/.test(id)) throw badRequest('Device credentials id should not contain spaces!');
      return { credentialsType: type, credentialsId: id, credentialsValue: null };
  }
}

function mqttBasic(value: string | null): CredentialsInput {
  let parsed: unknown;
  try { parsed = JSON.parse(value ?? 'null'); } catch { parsed = null; }
  if (!isObject(parsed)) throw badRequest('Invalid credentials body for simple mqtt credentials!');
  const str = (k: string): string => (typeof parsed[k] === 'string' ? parsed[k] : '');
  const clientId = str('clientId'), userName = str('userName'), password = str('password');
  if (!clientId && !userName) throw badRequest('Both mqtt client id and user name are empty!');
  if (clientId && password && !userName) throw badRequest('Password cannot be specified along with client id');
  const credentialsId = !clientId ? userName : !userName ? sha3(clientId) : sha3(`${clientId}|${userName}`);
  return { credentialsType: 'MQTT_BASIC', credentialsId, credentialsValue: JSON.stringify({ clientId: clientId || null, userName: userName || null, password: password || null }) };
}

/**
 * credentialsId is unique: on create the validator refuses it ("already assigned"), on update the
 * database constraint does ("already registered").
 */
export function assertCredentialsFree(s: TbState, credentialsId: string, exceptDeviceId?: string): void {
  const holder = byCredentialsId.find(s.credentials, credentialsId);
  if (holder && holder.deviceId !== exceptDeviceId) {
    throw badRequest(exceptDeviceId === undefined ? 'Device credentials are already assigned to another device!' : 'Specified credentials are already registered!');
  }
}

// Lookups without a scan of every device's credentials (kit/field-index.ts): credentialsIds are
// unique, and each device has one record. Credentials change in place only in POST
// /api/device/credentials below, which tells the indexes.
const byCredentialsId = new FieldIndex<CredentialsRec>('ThingsBoard credentialsId', (c) => c.credentialsId);
const byDeviceId = new FieldIndex<CredentialsRec>('ThingsBoard credentials deviceId', (c) => c.deviceId);

export const credentialsOfDevice = (s: TbState, deviceId: string): CredentialsRec | undefined => byDeviceId.find(s.credentials, deviceId);

export function newCredentials(deviceId: string, input: CredentialsInput, now: number): CredentialsRec {
  return { id: randomUUID(), createdTime: now, deviceId, ...input, version: 1 };
}

export function renderCredentials(c: CredentialsRec): Record<string, unknown> {
  return {
    id: { id: c.id }, createdTime: c.createdTime, deviceId: entityId('DEVICE', c.deviceId),
    credentialsType: c.credentialsType, credentialsId: c.credentialsId, credentialsValue: c.credentialsValue, version: c.version,
  };
}

export function registerCredentials(router: Router, tb: Tb): void {
  router.get('/api/device/:deviceId/credentials', tenantOnly((ctx) => {
    const id = parseUuid(ctx.params['deviceId']!);
    const s = tb.store.state;
    if (!findDevice(s, id)) throw notFound(`Device with id [${id}] is not found`);
    const creds = credentialsOfDevice(s, id);
    if (!creds) throw notFound(`Device credentials for device with id [${id}] is not found`);
    ok(ctx, renderCredentials(creds));
  }));

  router.post('/api/device/credentials', tenantOnly(async (ctx, caller) => {
    const body = await jsonBody(ctx);
    if (!isObject(body)) throw badRequest('JSON parse error: Cannot deserialize value of type `org.thingsboard.server.common.data.security.DeviceCredentials` from non-object value');
    const deviceRef = body['deviceId'];
    const rawDeviceId = isObject(deviceRef) && typeof deviceRef['id'] === 'string' ? deviceRef['id'] : undefined;
    if (!rawDeviceId) throw badRequest("Parameter 'deviceId' can't be empty!");
    const deviceId = parseUuid(rawDeviceId);
    const device = findDevice(tb.store.state, deviceId);
    if (!device) throw notFound(`Device with id [${deviceId}] is not found`);
    const input = formatCredentials(body);
    const existing = credentialsOfDevice(tb.store.state, deviceId);
    const ref = body['id'];
    if (!existing || !isObject(ref) || ref['id'] !== existing.id) throw badRequest('Unable to update non-existent device credentials!');
    if (typeof body['version'] === 'number' && body['version'] !== existing.version) throw conflict('Device credentials were already changed by someone else');
    assertCredentialsFree(tb.store.state, input.credentialsId, deviceId);
    const saved = tb.store.update((s) => {
      const c = credentialsOfDevice(s, deviceId)!;
      Object.assign(c, input, { version: c.version + 1 });
      byCredentialsId.forget(s.credentials);
      logAction(s, tb.now(), byCaller(caller, {
        entity: entityId('DEVICE', deviceId), entityName: device.name, actionType: 'CREDENTIALS_UPDATED',
        actionData: { entityId: deviceId, credentials: renderCredentials(c) },
      }));
      return c;
    });
    ok(ctx, renderCredentials(saved));
  }));
}
