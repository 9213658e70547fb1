// /admin/realms/{r}/events, /admin-events and /events/config.
import type { Router } from '../kit/router.js';
import { PERMS, readJsonObject, requirePerm } from './admin-auth.js';
import { inRealm } from './admin-route.js';
import type { Kc } from './context.js';
import { oauthError } from './errors.js';
import { EVENT_TYPES, queryAdminEvents, queryEvents, recordAdminEvent } from './events.js';
import { eventsConfigRep } from './representations.js';

export function registerEventRoutes(router: Router, kc: Kc): void {
  router.get('/admin/realms/:realm/events', inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewEvents);
    ctx.send(200, queryEvents(realm, ctx.query));
  }));
  router.delete('/admin/realms/:realm/events', inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageEvents);
    kc.store.update(() => { realm.events = []; });
    ctx.send(204);
  }));
  router.get('/admin/realms/:realm/admin-events', inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewEvents);
    ctx.send(200, queryAdminEvents(realm, ctx.query));
  }));
  router.delete('/admin/realms/:realm/admin-events', inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageEvents);
    kc.store.update(() => { realm.adminEvents = []; });
    ctx.send(204);
  }));
  router.get('/admin/realms/:realm/events/config', inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewEvents);
    ctx.send(200, eventsConfigRep(realm));
  }));
  router.put('/admin/realms/:realm/events/config', inRealm(kc, async (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageEvents);
    const rep = await readJsonObject(ctx);
    const types = Array.isArray(rep['enabledEventTypes']) ? rep['enabledEventTypes'].map(String) : undefined;
    if (types?.some((t) => !EVENT_TYPES.has(t))) throw oauthError(400, 'unknown_error');
    kc.store.update(() => {
      const s = realm.settings;
      // Nulls mean "unchanged" except eventsExpiration, which Keycloak resets to 0 (reference §1.3).
      if (typeof rep['eventsEnabled'] === 'boolean') s.eventsEnabled = rep['eventsEnabled'];
      s.eventsExpiration = typeof rep['eventsExpiration'] === 'number' ? rep['eventsExpiration'] : 0;
      if (Array.isArray(rep['eventsListeners'])) s.eventsListeners = rep['eventsListeners'].map(String);
      if (types) s.enabledEventTypes = types;
      if (typeof rep['adminEventsEnabled'] === 'boolean') s.adminEventsEnabled = rep['adminEventsEnabled'];
      if (typeof rep['adminEventsDetailsEnabled'] === 'boolean') s.adminEventsDetailsEnabled = rep['adminEventsDetailsEnabled'];
      recordAdminEvent(realm, kc.now(), auth.actor, 'UPDATE', 'REALM', 'events/config', rep);
    });
    ctx.send(204);
  }));
}
