// Bootstrap of a stack's Keycloak through cdm's admin client: realm, roles, clients (with the
// secrets from the env file), the automation client's service-account roles and the operator.
import { passwordGrant } from '../../auth/grants.js';
import { AuthError } from '../../core/errors.js';
import type { HttpClient } from '../../http/types.js';
import { KeycloakAdmin } from '../../services/keycloak/admin.js';
import { adminSession } from '../../services/keycloak/admin-login.js';
import type { StackKind } from '../layout.js';
import { AUTOMATION_CLIENT, CLI_CLIENT, realmContent } from './keycloak-realm.js';
import type { Record_ } from './report.js';

export async function bootstrapKeycloak(http: HttpClient, url: string, kind: StackKind, tenant: string | undefined, env: Map<string, string>, record: Record_): Promise<void> {
  const session = await adminSession(http, url, { username: env.get('KC_ADMIN_USER') ?? 'admin', password: env.get('KC_ADMIN_PASSWORD') ?? '' });
  const kc = new KeycloakAdmin(http, session);
  const c = realmContent(kind, tenant, env);
  const realm = c.realm.realm;
  record('keycloak', `realm ${realm}`, await kc.ensureRealm(c.realm));
  for (const role of c.roles) record('keycloak', `realm role ${role}`, await kc.ensureRealmRole(realm, { name: role }));
  for (const client of c.clients) record('keycloak', `client ${client.clientId}`, await kc.ensureClient(realm, client));

  const automation = await kc.client(realm, AUTOMATION_CLIENT);
  const sa = await kc.serviceAccountUser(realm, automation!.id!);
  record('keycloak', `${AUTOMATION_CLIENT} realm roles`, await kc.ensureUserRealmRoles(realm, sa.id!, c.automationRoles));
  record('keycloak', `${AUTOMATION_CLIENT} realm-management roles`, await kc.ensureUserClientRoles(realm, sa.id!, 'realm-management', ['realm-admin']));

  const { password, roles, ...operator } = c.operator;
  const created = await kc.ensureUser(realm, operator, password);
  const user = (await kc.user(realm, operator.username))!;
  // An existing operator keeps working only if the env file's password still logs in; otherwise
  // set it (the env file is the source of truth). Checked with a login, the only way to compare.
  let outcome = created;
  if (created === 'unchanged' && !(await passwordWorks(http, session.baseUrl, realm, operator.username, password))) {
    await kc.resetPassword(realm, user.id!, password);
    outcome = 'updated';
  }
  record('keycloak', `user ${operator.username}`, outcome);
  record('keycloak', `user ${operator.username} roles`, await kc.ensureUserRealmRoles(realm, user.id!, roles));
}

async function passwordWorks(http: HttpClient, base: string, realm: string, username: string, password: string): Promise<boolean> {
  try {
    await passwordGrant(http, `${base}/realms/${encodeURIComponent(realm)}/protocol/openid-connect/token`, { clientId: CLI_CLIENT }, username, password);
    return true;
  } catch (err) {
    if (err instanceof AuthError) return false;
    throw err;
  }
}
