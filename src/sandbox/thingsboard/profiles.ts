// Device profiles (B.4): list, infos, get, create/update, delete and make-default. A device that
// names an unknown `type` gets a profile of that name created on the fly (findOrCreateDeviceProfile).
import type { Router } from '../kit/router.js';
import { isObject, jsonBody, ok, okEmpty, tenantOnly, type Caller, type Tb } from './api.js';
import { byCaller, logAction } from './audit.js';
import { badRequest, notFound, parseUuid } from './errors.js';
import { contains, pageLink, toPage } from './paging.js';
import { findProfile, profileSkeleton, type ProfileRec, type TbState } from './state.js';

const TRANSPORT_TYPES = ['DEFAULT', 'MQTT', 'COAP', 'LWM2M', 'SNMP'];
const PROVISION_TYPES = ['DISABLED', 'ALLOW_CREATE_NEW_DEVICES', 'CHECK_PRE_PROVISIONED_DEVICES', 'X509_CERTIFICATE_CHAIN'];

export const renderProfile = (p: ProfileRec): Record<string, unknown> => structuredClone(p);

export function renderProfileInfo(p: ProfileRec): Record<string, unknown> {
  return { id: p.id, tenantId: p['tenantId'], name: p.name, image: p['image'] ?? null, defaultDashboardId: p['defaultDashboardId'] ?? null, type: p['type'], transportType: p['transportType'] };
}

export const defaultProfile = (s: TbState): ProfileRec => s.profiles.find((p) => p.default)!;

/** For device saves that name a `type` but no profile: the profile of that name, created when missing. */
export function findOrCreateProfile(s: TbState, name: string, now: number): ProfileRec {
  let p = s.profiles.find((x) => x.name === name);
  if (!p) {
    p = profileSkeleton(s.tenantId, name, now);
    s.profiles.push(p);
  }
  return p;
}

function requireProfile(s: TbState, raw: string): ProfileRec {
  const id = parseUuid(raw);
  const p = findProfile(s, id);
  if (!p) throw notFound(`Device profile with id [${id}] is not found`);
  return p;
}

function audit(tb: Tb, s: TbState, caller: Caller, p: ProfileRec, actionType: 'ADDED' | 'UPDATED' | 'DELETED'): void {
  const actionData = actionType === 'DELETED' ? { entityId: p.id.id } : { entity: renderProfile(p) };
  logAction(s, tb.now(), byCaller(caller, { entity: p.id, entityName: p.name, actionType, actionData }));
}

function validate(s: TbState, body: Record<string, unknown>, selfId: string | undefined): void {
  const name = body['name'];
  if (typeof name !== 'string' || name.trim() === '') throw badRequest('Device profile name should be specified!');
  if (body['type'] !== undefined && body['type'] !== 'DEFAULT') throw badRequest('Device profile type should be specified!');
  if (body['transportType'] !== undefined && !TRANSPORT_TYPES.includes(String(body['transportType']))) throw badRequest('Device profile transport type should be specified!');
  if (body['provisionType'] !== undefined && !PROVISION_TYPES.includes(String(body['provisionType']))) throw badRequest('Device profile provision type should be specified!');
  if (s.profiles.some((p) => p.name === name && p.id.id !== selfId)) throw badRequest('Device profile with such name already exists!');
  const key = body['provisionDeviceKey'];
  if (typeof key === 'string' && key !== '' && s.profiles.some((p) => p['provisionDeviceKey'] === key && p.id.id !== selfId)) {
    throw badRequest('Device profile with such provision device key already exists!');
  }
}

export function registerProfiles(router: Router, tb: Tb): void {
  router.get('/api/deviceProfiles', tenantOnly((ctx) => {
    const page = toPage(tb.store.state.profiles, pageLink(ctx.query), (p, t) => contains(p.name, t));
    ok(ctx, { ...page, data: page.data.map(renderProfile) });
  }));
  router.get('/api/deviceProfileInfos', tenantOnly((ctx) => {
    const link = pageLink(ctx.query);
    const transport = ctx.query.get('transportType');
    const list = tb.store.state.profiles.filter((p) => !transport || p['transportType'] === transport);
    const page = toPage(list, link, (p, t) => contains(p.name, t));
    ok(ctx, { ...page, data: page.data.map(renderProfileInfo) });
  }));
  router.get('/api/deviceProfile/names', tenantOnly((ctx) => {
    const s = tb.store.state;
    const activeOnly = ctx.query.get('activeOnly') === 'true';
    const list = s.profiles.filter((p) => !activeOnly || s.devices.some((d) => d.profileId === p.id.id));
    ok(ctx, list.map((p) => ({ id: p.id, name: p.name })).sort((a, b) => a.name.localeCompare(b.name, 'en')));
  }));
  router.get('/api/deviceProfileInfo/default', tenantOnly((ctx) => ok(ctx, renderProfileInfo(defaultProfile(tb.store.state)))));
  router.get('/api/deviceProfileInfo/:id', tenantOnly((ctx) => ok(ctx, renderProfileInfo(requireProfile(tb.store.state, ctx.params['id']!)))));
  router.get('/api/deviceProfile/:id', tenantOnly((ctx) => ok(ctx, renderProfile(requireProfile(tb.store.state, ctx.params['id']!)))));

  router.post('/api/deviceProfile', tenantOnly(async (ctx, caller) => {
    const body = await jsonBody(ctx);
    if (!isObject(body)) throw badRequest('JSON parse error: Cannot deserialize value of type `org.thingsboard.server.common.data.DeviceProfile` from non-object value');
    const ref = body['id'];
    const existing = isObject(ref) && typeof ref['id'] === 'string' ? requireProfile(tb.store.state, ref['id']) : undefined;
    validate(tb.store.state, body, existing?.id.id);
    const saved = tb.store.update((s) => {
      if (existing) {
        const p = findProfile(s, existing.id.id)!;
        // Identity, creation time and the default flag are not changed by a save.
        Object.assign(p, body, { id: p.id, createdTime: p.createdTime, tenantId: p['tenantId'], default: p.default, version: Number(p['version'] ?? 0) + 1 });
        audit(tb, s, caller, p, 'UPDATED');
        return p;
      }
      const p: ProfileRec = { ...profileSkeleton(s.tenantId, body['name'] as string, tb.now()) };
      const { id: _id, createdTime: _c, tenantId: _t, default: _d, version: _v, ...fields } = body;
      Object.assign(p, fields);
      s.profiles.push(p);
      audit(tb, s, caller, p, 'ADDED');
      return p;
    });
    ok(ctx, renderProfile(saved));
  }));

  router.delete('/api/deviceProfile/:id', tenantOnly((ctx, caller) => {
    const p = requireProfile(tb.store.state, ctx.params['id']!);
    if (p.default) throw badRequest('Deletion of Default Device Profile is prohibited!');
    if (tb.store.state.devices.some((d) => d.profileId === p.id.id)) throw badRequest('The device profile referenced by the devices cannot be deleted!');
    tb.store.update((s) => {
      s.profiles = s.profiles.filter((x) => x.id.id !== p.id.id);
      audit(tb, s, caller, p, 'DELETED');
    });
    okEmpty(ctx);
  }));

  router.post('/api/deviceProfile/:id/default', tenantOnly((ctx, caller) => {
    const target = requireProfile(tb.store.state, ctx.params['id']!);
    const saved = tb.store.update((s) => {
      for (const p of s.profiles) p.default = p.id.id === target.id.id;
      const p = findProfile(s, target.id.id)!;
      audit(tb, s, caller, p, 'UPDATED');
      return p;
    });
    ok(ctx, renderProfile(saved));
  }));
}
