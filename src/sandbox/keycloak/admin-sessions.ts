// Session administration: realm-wide logout (which also moves the realm's not-before so every token
// issued earlier is refused), single-session removal, per-user and per-client session lists, stats.
import type { Router } from '../kit/router.js';
import { paginate, PERMS, requirePerm } from './admin-auth.js';
import { inRealm } from './admin-route.js';
import { findUser } from './admin-users.js';
import { nowSec, type Kc } from './context.js';
import { notFound } from './errors.js';
import { recordAdminEvent } from './events.js';
import { clientById, userById } from './model.js';
import { sessionRep } from './representations.js';
import { removeSession } from './sessions.js';

export function registerSessionRoutes(router: Router, kc: Kc): void {
  router.post('/admin/realms/:realm/logout-all', inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageUsers);
    kc.store.update(() => {
      realm.sessions = [];
      realm.settings.notBefore = nowSec(kc);
      recordAdminEvent(realm, kc.now(), auth.actor, 'ACTION', 'REALM', 'logout-all');
    });
    // GlobalRequestResult lists the admin URLs of clients notified of the logout. The emulator makes no
    // outbound calls, so clients with an adminUrl are reported as failed; with none the result is empty.
    const failed = realm.clients.map((c) => c.other['adminUrl']).filter((u): u is string => typeof u === 'string' && u !== '');
    ctx.send(200, failed.length > 0 ? { failedRequests: failed } : {});
  }));

  router.delete('/admin/realms/:realm/sessions/:session', inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageUsers);
    const id = ctx.params['session']!;
    if (!realm.sessions.some((s) => s.id === id)) throw notFound('Session not found');
    kc.store.update(() => {
      removeSession(realm, id);
      recordAdminEvent(realm, kc.now(), auth.actor, 'DELETE', 'USER_SESSION', `sessions/${id}`);
    });
    ctx.send(204);
  }));

  router.get('/admin/realms/:realm/users/:id/sessions', inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewUsers);
    const user = findUser(realm, ctx.params['id']);
    ctx.send(200, realm.sessions.filter((s) => s.userId === user.id).map((s) => sessionRep(s, user)));
  }));

  router.post('/admin/realms/:realm/users/:id/logout', inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageUsers);
    const user = findUser(realm, ctx.params['id']);
    kc.store.update(() => {
      realm.sessions = realm.sessions.filter((s) => s.userId !== user.id);
      user.notBefore = nowSec(kc);
      recordAdminEvent(realm, kc.now(), auth.actor, 'ACTION', 'USER', `users/${user.id}/logout`);
    });
    ctx.send(204);
  }));

  router.get('/admin/realms/:realm/clients/:id/user-sessions', inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewClients);
    const client = clientById(realm, ctx.params['id']!);
    if (!client) throw notFound('Could not find client');
    const sessions = realm.sessions.filter((s) => s.clients[client.id] !== undefined);
    ctx.send(200, paginate(sessions, ctx.query).map((s) => sessionRep(s, userById(realm, s.userId))));
  }));

  router.get('/admin/realms/:realm/clients/:id/offline-sessions', inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewClients);
    if (!clientById(realm, ctx.params['id']!)) throw notFound('Could not find client');
    ctx.send(200, []); // offline_access tokens are never issued by the emulator
  }));

  router.get('/admin/realms/:realm/client-session-stats', inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewRealm);
    const stats = realm.clients.map((c) => ({ c, n: realm.sessions.filter((s) => s.clients[c.id] !== undefined).length }))
      .filter((x) => x.n > 0)
      .map(({ c, n }) => ({ id: c.id, clientId: c.clientId, active: String(n), offline: '0' })); // counts are strings in Keycloak
    ctx.send(200, stats);
  }));
}
