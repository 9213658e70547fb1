// The Keycloak content of each stack, as data: the realm, its roles, clients and operator user.
// Replaces upstream's realm import templates, which applied only on the first boot (changing a
// secret in .env later changed nothing) and carried committed default passwords.
import type { ClientRep, RealmRep, UserRep } from '../../services/keycloak/admin.js';
import type { StackKind } from '../layout.js';

export const CLI_CLIENT = 'cdm-cli';
export const AUTOMATION_CLIENT = 'cdm-automation';
export const OPERATOR = 'operator';

export interface RealmContent {
  realm: RealmRep;
  roles: string[];
  clients: ClientRep[];
  /** Realm roles and realm-management roles of the automation client's service account. */
  automationRoles: string[];
  operator: UserRep & { password: string; roles: string[] };
}

const REALM_ROLES_MAPPER = {
  name: 'realm roles', protocol: 'openid-connect', protocolMapper: 'oidc-usermodel-realm-role-mapper',
  config: { multivalued: 'true', 'claim.name': 'roles', 'jsonType.label': 'String', 'id.token.claim': 'true', 'access.token.claim': 'true', 'userinfo.token.claim': 'true' },
};

export function realmContent(kind: StackKind, tenant: string | undefined, env: Map<string, string>): RealmContent {
  const v = (k: string): string => env.get(k) ?? '';
  const name = kind === 'provider' ? 'cdm' : tenant!;
  const host = (port: string): string => `http://127.0.0.1:${v(port)}`;
  const roles = kind === 'provider'
    ? ['cdm-admin', 'cdm-operator', 'cdm-viewer', 'platform-admin', 'platform-operator']
    : ['cdm-admin', 'cdm-operator', 'cdm-viewer'];
  const adminRoles = kind === 'provider' ? ['cdm-admin', 'platform-admin'] : ['cdm-admin'];
  return {
    realm: {
      realm: name, enabled: true,
      displayName: kind === 'provider' ? 'Complete Device Management' : v('TENANT_DISPLAY_NAME') || name,
      eventsEnabled: true, adminEventsEnabled: true, adminEventsDetailsEnabled: true,
    },
    roles,
    clients: [
      // The operator CLI: public, device code and direct grants (what `cdm auth login` uses).
      { clientId: CLI_CLIENT, publicClient: true, standardFlowEnabled: false, directAccessGrantsEnabled: true, attributes: { 'oauth2.device.authorization.grant.enabled': 'true' } },
      // Scripts and CI: client credentials, stored in the context so commands log in by themselves.
      { clientId: AUTOMATION_CLIENT, publicClient: false, secret: v('CDM_AUTOMATION_SECRET'), standardFlowEnabled: false, directAccessGrantsEnabled: false, serviceAccountsEnabled: true },
      { clientId: 'grafana', publicClient: false, secret: v('GRAFANA_OIDC_SECRET'), standardFlowEnabled: true, directAccessGrantsEnabled: false, redirectUris: [`${host('GRAFANA_PORT')}/login/generic_oauth`], protocolMappers: [REALM_ROLES_MAPPER] },
      { clientId: 'iot-bridge', publicClient: false, secret: v('BRIDGE_OIDC_SECRET'), standardFlowEnabled: false, directAccessGrantsEnabled: false, serviceAccountsEnabled: true },
      { clientId: 'portal', publicClient: false, secret: v('PORTAL_OIDC_SECRET'), standardFlowEnabled: true, directAccessGrantsEnabled: false, redirectUris: [`${host('BRIDGE_PORT')}/*`] },
    ],
    automationRoles: adminRoles,
    operator: {
      username: OPERATOR, email: `operator@${name}.cdm.local`, firstName: 'CDM', lastName: 'Operator',
      password: v('OPERATOR_PASSWORD'), roles: kind === 'provider' ? [...adminRoles, 'cdm-operator'] : ['cdm-admin', 'cdm-operator'],
    },
  };
}
