// Devices (B.4): create/update through POST /api/device (ACCESS_TOKEN credentials, given or random)
// and POST /api/device-with-credentials, reads by id, by exact name and paged (Device and DeviceInfo
// with the computed `active`), deletion with everything hanging off the device. Refusals carry
// DeviceDataValidator's and BaseController's messages.
import { randomUUID } from 'node:crypto';
import type { RequestContext, Router } from '../kit/router.js';
import { isObject, jsonBody, ok, okEmpty, tenantOnly, type Caller, type Tb } from './api.js';
import { deviceState } from './activity.js';
import { byCaller, logAction } from './audit.js';
import { assertCredentialsFree, formatCredentials, newCredentials, randomToken, type CredentialsInput } from './credentials.js';
import { badRequest, conflict, notFound, parseUuid } from './errors.js';
import { devicesByName, devicesChangedInPlace } from './device-index.js';
import { boolParam, contains, pageLink, toPage, type PageData } from './paging.js';
import { defaultProfile, findOrCreateProfile } from './profiles.js';
import { entityId, findDevice, findDeviceByName, findProfile, NULL_UUID, type DeviceRec, type TbState } from './state.js';

export const DEFAULT_DEVICE_DATA = { configuration: { type: 'DEFAULT' }, transportConfiguration: { type: 'DEFAULT' } };

export function renderDevice(s: TbState, d: DeviceRec): Record<string, unknown> {
  return {
    id: entityId('DEVICE', d.id),
    createdTime: d.createdTime,
    tenantId: entityId('TENANT', s.tenantId),
    customerId: entityId('CUSTOMER', d.customerId),
    name: d.name,
    type: findProfile(s, d.profileId)?.name ?? null,
    label: d.label,
    deviceProfileId: entityId('DEVICE_PROFILE', d.profileId),
    deviceData: d.deviceData,
    firmwareId: d.firmwareId,
    softwareId: d.softwareId,
    externalId: d.externalId,
    version: d.version,
    additionalInfo: d.additionalInfo,
  };
}

export function renderDeviceInfo(tb: Tb, s: TbState, d: DeviceRec): Record<string, unknown> {
  return {
    ...renderDevice(s, d),
    customerTitle: null,
    customerIsPublic: false,
    deviceProfileName: findProfile(s, d.profileId)?.name ?? null,
    active: deviceState(s, d.id, d.createdTime, tb.now(), tb.activityTimeoutMs).active,
  };
}

/** checkDeviceId: malformed → 400, unknown → 404 "Device with id [..] is not found". */
export function requireDevice(s: TbState, raw: string): DeviceRec {
  const id = parseUuid(raw);
  const d = findDevice(s, id);
  if (!d) throw notFound(`Device with id [${id}] is not found`);
  return d;
}

const refId = (v: unknown): string | undefined => (isObject(v) && typeof v['id'] === 'string' ? v['id'] : undefined);

/** Validates a Device body and resolves its profile; returns what to store. Throws before anything changes. */
function prepare(s: TbState, body: Record<string, unknown>, existing: DeviceRec | undefined): { profileName?: string; profileId?: string } {
  const name = body['name'];
  if (typeof name !== 'string' || name.trim() === '') throw badRequest('Device name should be specified!');
  const sameName = findDeviceByName(s, name);
  if (sameName && sameName.id !== existing?.id) throw badRequest('Device with such name already exists!');
  if (existing && typeof body['version'] === 'number' && body['version'] !== existing.version) throw conflict('Device was already changed by someone else');
  const profileRef = refId(body['deviceProfileId']);
  if (profileRef) {
    const p = findProfile(s, profileRef.toLowerCase());
    if (!p) throw badRequest('Device is referencing non existing device profile!');
    return { profileId: p.id.id };
  }
  if (typeof body['type'] === 'string' && body['type'] !== '') return { profileName: body['type'] };
  return { profileId: existing?.profileId ?? defaultProfile(s).id.id };
}

/** Creates or updates one device (and on create its credentials), recording ADDED/UPDATED. */
export function saveDevice(tb: Tb, caller: Caller, body: unknown, credentials: (deviceId: string) => CredentialsInput | undefined): DeviceRec {
  if (!isObject(body)) throw badRequest('JSON parse error: Cannot deserialize value of type `org.thingsboard.server.common.data.Device` from non-object value');
  const ref = refId(body['id']);
  const existing = ref ? requireDevice(tb.store.state, ref) : undefined;
  const profile = prepare(tb.store.state, body, existing);
  const newId = randomUUID();
  const creds = existing ? undefined : credentials(newId);
  if (creds) assertCredentialsFree(tb.store.state, creds.credentialsId);
  return tb.store.patch((s, touch) => {
    const now = tb.now();
    const profiles = s.profiles.length;
    const profileId = profile.profileId ?? findOrCreateProfile(s, profile.profileName!, now).id.id;
    if (s.profiles.length !== profiles) touch('profiles');
    const fields = {
      name: body['name'] as string,
      label: typeof body['label'] === 'string' ? body['label'] : null,
      profileId,
      additionalInfo: body['additionalInfo'] ?? null,
      deviceData: body['deviceData'] ?? DEFAULT_DEVICE_DATA,
      firmwareId: body['firmwareId'] ?? null,
      softwareId: body['softwareId'] ?? null,
      externalId: body['externalId'] ?? null,
    };
    let d: DeviceRec;
    if (existing) {
      d = findDevice(s, existing.id)!;
      const renamed = d.name !== fields.name;
      Object.assign(d, fields, { version: d.version + 1 });
      if (renamed) devicesChangedInPlace(s.devices);
      touch('devices', s.devices.indexOf(d));
    } else {
      d = { id: newId, createdTime: now, customerId: NULL_UUID, version: 1, ...fields };
      touch('devices', s.devices.push(d) - 1);
      if (creds) touch('credentials', s.credentials.push(newCredentials(newId, creds, now)) - 1);
    }
    logAction(s, now, byCaller(caller, {
      entity: entityId('DEVICE', d.id), entityName: d.name, actionType: existing ? 'UPDATED' : 'ADDED', actionData: { entity: renderDevice(s, d) },
    }), touch);
    return d;
  });
}

/**
 * PageData of Device or DeviceInfo. Filters and the name order work on the stored records and only
 * the page's devices are rendered, so a page costs one pass over the fleet, not a render and a sort
 * of all of it; another sortProperty is read from rendered devices, as toPage does.
 */
function listDevices(tb: Tb, ctx: RequestContext, infos: boolean): void {
  const s = tb.store.state;
  const link = pageLink(ctx.query);
  const type = ctx.query.get('type') || undefined;
  const profileRaw = infos ? ctx.query.get('deviceProfileId') || undefined : undefined;
  const profileId = profileRaw ? parseUuid(profileRaw) : undefined;
  const active = infos ? boolParam(ctx.query, 'active') : undefined;
  const text = link.textSearch;
  const now = tb.now();
  const render = (d: DeviceRec): Record<string, unknown> => (infos ? renderDeviceInfo(tb, s, d) : renderDevice(s, d));
  const matches = (d: DeviceRec): boolean =>
    (!profileId || d.profileId === profileId)
    && (!type || findProfile(s, d.profileId)?.name === type)
    && (!text || contains(d.name, text) || contains(d.label, text))
    && (active === undefined || deviceState(s, d.id, d.createdTime, now, tb.activityTimeoutMs).active === active);
  if (link.sortProperty && link.sortProperty !== 'name') return ok(ctx, toPage(s.devices.filter(matches).map(render), link));
  const ordered = link.sortProperty === 'name' ? devicesByName(s.devices, link.sortOrder === 'DESC') : s.devices;
  const start = link.page * link.pageSize;
  const data: Record<string, unknown>[] = [];
  let total = 0;
  for (const d of ordered) {
    if (!matches(d)) continue;
    if (total >= start && data.length < link.pageSize) data.push(render(d));
    total++;
  }
  ok(ctx, { data, totalPages: Math.ceil(total / link.pageSize), totalElements: total, hasNext: start + link.pageSize < total } satisfies PageData<unknown>);
}

export function registerDevices(router: Router, tb: Tb): void {
  router.post('/api/device', tenantOnly(async (ctx, caller) => {
    const body = await jsonBody(ctx);
    const token = ctx.query.get('accessToken') || undefined;
    const d = saveDevice(tb, caller, body, () => formatCredentials({ credentialsType: 'ACCESS_TOKEN', credentialsId: token ?? randomToken() }));
    ok(ctx, renderDevice(tb.store.state, d));
  }));

  router.post('/api/device-with-credentials', tenantOnly(async (ctx, caller) => {
    const body = await jsonBody(ctx);
    if (!isObject(body) || !isObject(body['device'])) throw badRequest('Device name should be specified!');
    if (!isObject(body['credentials'])) throw badRequest('Device credentials type should be specified!');
    const rawCreds = body['credentials'];
    const creds = formatCredentials(rawCreds);
    const d = saveDevice(tb, caller, body['device'], () => creds);
    ok(ctx, renderDevice(tb.store.state, d));
  }));

  router.get('/api/device/types', tenantOnly((ctx) => {
    const s = tb.store.state;
    const types = [...new Set(s.profiles.map((p) => p.name))].sort((a, b) => a.localeCompare(b, 'en'));
    ok(ctx, types.map((type) => ({ tenantId: entityId('TENANT', s.tenantId), entityType: 'DEVICE', type })));
  }));
  router.get('/api/device/info/:deviceId', tenantOnly((ctx) => {
    const s = tb.store.state;
    ok(ctx, renderDeviceInfo(tb, s, requireDevice(s, ctx.params['deviceId']!)));
  }));
  router.get('/api/device/:deviceId', tenantOnly((ctx) => {
    const s = tb.store.state;
    ok(ctx, renderDevice(s, requireDevice(s, ctx.params['deviceId']!)));
  }));
  router.get('/api/devices', tenantOnly((ctx) => {
    const s = tb.store.state;
    const raw = ctx.query.get('deviceIds');
    if (raw === null) throw badRequest("Required request parameter 'deviceIds' for method parameter type String[] is not present");
    const ids = new Set(raw.split(',').filter(Boolean).map(parseUuid));
    ok(ctx, s.devices.filter((d) => ids.has(d.id)).map((d) => renderDevice(s, d)));
  }));

  router.get('/api/tenant/devices', tenantOnly((ctx) => {
    const name = ctx.query.get('deviceName');
    if (name === null) return listDevices(tb, ctx, false);
    const s = tb.store.state;
    const d = findDeviceByName(s, name);
    if (!d) throw notFound("Requested item wasn't found!");
    ok(ctx, renderDevice(s, d));
  }));
  router.get('/api/tenant/deviceInfos', tenantOnly((ctx) => listDevices(tb, ctx, true)));

  router.delete('/api/device/:deviceId', tenantOnly((ctx, caller) => {
    const d = requireDevice(tb.store.state, ctx.params['deviceId']!);
    tb.store.update((s) => {
      // The housekeeper removes what belongs to the device: credentials, attributes, telemetry, alarms.
      s.devices = s.devices.filter((x) => x.id !== d.id);
      s.credentials = s.credentials.filter((c) => c.deviceId !== d.id);
      s.alarms = s.alarms.filter((a) => a.originatorId !== d.id);
      delete s.attributes[d.id];
      delete s.timeseries[d.id];
      delete s.activity[d.id];
      logAction(s, tb.now(), byCaller(caller, { entity: entityId('DEVICE', d.id), entityName: d.name, actionType: 'DELETED', actionData: { entityId: d.id } }));
    });
    okEmpty(ctx);
  }));
}
