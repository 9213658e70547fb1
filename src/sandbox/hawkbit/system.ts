// Management API: `/rest/v1/userinfo` and the tenant configuration keys that decide DDI
// authentication and polling (`GET/PUT/DELETE /rest/v1/system/configs/{key}`). Only the keys the
// emulator acts on are known; others are 400 configKeyInvalid, as for an unknown key on hawkBit.
import type { Router } from '../kit/router.js';
import { callerOf, link, type Hb } from './context.js';
import { configKeyInvalid, configValueInvalid } from './errors.js';
import { noContent, readObject } from './http.js';
import type { TenantConfig } from './state.js';

const DEFAULTS: TenantConfig = {
  'authentication.targettoken.enabled': false,
  'authentication.gatewaytoken.enabled': false,
  'authentication.gatewaytoken.key': '',
  pollingTime: '00:05:00',
};

function isKey(key: string): key is keyof TenantConfig {
  return Object.hasOwn(DEFAULTS, key);
}

export function registerSystem(router: Router, hb: Hb): void {
  router.get('/rest/v1/userinfo', (ctx) => ctx.send(200, { tenant: hb.tenant.toUpperCase(), username: callerOf(ctx.req) }));

  const view = (key: keyof TenantConfig): Record<string, unknown> => {
    const value = hb.store.state.config[key];
    return { value, global: value === DEFAULTS[key], _links: { self: link(hb, `/rest/v1/system/configs/${key}`) } };
  };

  router.get('/rest/v1/system/configs', (ctx) => {
    ctx.send(200, Object.fromEntries((Object.keys(DEFAULTS) as Array<keyof TenantConfig>).map((k) => [k, view(k)])));
  });

  router.get('/rest/v1/system/configs/:key', (ctx) => {
    const key = ctx.params.key!;
    if (!isKey(key)) throw configKeyInvalid(key);
    ctx.send(200, view(key));
  });

  router.put('/rest/v1/system/configs/:key', async (ctx) => {
    const key = ctx.params.key!;
    if (!isKey(key)) throw configKeyInvalid(key);
    const body = await readObject(ctx);
    const value = body.value;
    const ok = typeof DEFAULTS[key] === 'boolean' ? typeof value === 'boolean'
      : key === 'pollingTime' ? typeof value === 'string' && /^\d{2}:[0-5]\d:[0-5]\d$/.test(value)
        : typeof value === 'string';
    if (!ok) throw configValueInvalid(key);
    hb.store.update((s) => { (s.config as unknown as Record<string, unknown>)[key] = value; });
    ctx.send(200, view(key));
  });

  router.delete('/rest/v1/system/configs/:key', (ctx) => {
    const key = ctx.params.key!;
    if (!isKey(key)) throw configKeyInvalid(key);
    hb.store.update((s) => { (s.config as unknown as Record<string, unknown>)[key] = DEFAULTS[key]; });
    noContent(ctx);
  });
}
