// Model → JSON representations as Keycloak's ModelToRepresentation produces them (null fields are
// omitted, as Keycloak's JSON mapper does). Secrets of identity providers are masked on the way out.
import { DEFAULT_CLIENT_SCOPES, OPTIONAL_CLIENT_SCOPES } from './client-scopes.js';
import { DEFAULT_SAVED_TYPES } from './events.js';
import type { ClientRec, IdpRec, RealmRec, RoleRec, SessionRec, UserRec } from './state.js';

export const SECRET_MASK = '**********';

export function realmRep(realm: RealmRec): Record<string, unknown> {
  const s = realm.settings;
  return {
    id: realm.id, realm: realm.name, ...(s.displayName !== undefined ? { displayName: s.displayName } : {}),
    notBefore: s.notBefore, defaultSignatureAlgorithm: 'RS256', revokeRefreshToken: false, refreshTokenMaxReuse: 0,
    accessTokenLifespan: s.accessTokenLifespan, accessTokenLifespanForImplicitFlow: 900,
    ssoSessionIdleTimeout: s.ssoSessionIdleTimeout, ssoSessionMaxLifespan: s.ssoSessionMaxLifespan,
    offlineSessionIdleTimeout: 2592000, accessCodeLifespan: 60,
    oauth2DeviceCodeLifespan: s.oauth2DeviceCodeLifespan, oauth2DevicePollingInterval: s.oauth2DevicePollingInterval,
    enabled: s.enabled, sslRequired: s.sslRequired, registrationAllowed: s.registrationAllowed,
    loginWithEmailAllowed: s.loginWithEmailAllowed, duplicateEmailsAllowed: s.duplicateEmailsAllowed,
    bruteForceProtected: s.bruteForceProtected,
    eventsEnabled: s.eventsEnabled, ...(s.eventsExpiration !== undefined ? { eventsExpiration: s.eventsExpiration } : {}),
    eventsListeners: s.eventsListeners, enabledEventTypes: s.enabledEventTypes,
    adminEventsEnabled: s.adminEventsEnabled, adminEventsDetailsEnabled: s.adminEventsDetailsEnabled,
    ...realm.other,
  };
}

export function eventsConfigRep(realm: RealmRec): Record<string, unknown> {
  const s = realm.settings;
  return {
    eventsEnabled: s.eventsEnabled, ...(s.eventsExpiration !== undefined ? { eventsExpiration: s.eventsExpiration } : {}),
    eventsListeners: s.eventsListeners,
    // GET fills the list with the saved-by-default types when none are configured.
    enabledEventTypes: s.enabledEventTypes.length > 0 ? s.enabledEventTypes : DEFAULT_SAVED_TYPES,
    adminEventsEnabled: s.adminEventsEnabled, adminEventsDetailsEnabled: s.adminEventsDetailsEnabled,
  };
}

export function clientRep(c: ClientRec): Record<string, unknown> {
  return {
    id: c.id, clientId: c.clientId, surrogateAuthRequired: false, enabled: c.enabled, alwaysDisplayInConsole: false,
    clientAuthenticatorType: 'client-secret', ...(c.secret !== undefined ? { secret: c.secret } : {}),
    redirectUris: c.redirectUris, webOrigins: c.webOrigins, notBefore: 0, bearerOnly: c.bearerOnly, consentRequired: false,
    standardFlowEnabled: c.standardFlowEnabled, implicitFlowEnabled: c.implicitFlowEnabled,
    directAccessGrantsEnabled: c.directAccessGrantsEnabled, serviceAccountsEnabled: c.serviceAccountsEnabled,
    publicClient: c.publicClient, frontchannelLogout: true, protocol: 'openid-connect', attributes: c.attributes,
    authenticationFlowBindingOverrides: {}, fullScopeAllowed: true, nodeReRegistrationTimeout: -1,
    defaultClientScopes: DEFAULT_CLIENT_SCOPES,
    optionalClientScopes: OPTIONAL_CLIENT_SCOPES,
    ...c.other,
    access: { view: true, configure: true, manage: true },
  };
}

export function userRep(u: UserRec, brief = false): Record<string, unknown> {
  const rep: Record<string, unknown> = { id: u.id, username: u.username };
  if (u.firstName !== undefined) rep['firstName'] = u.firstName;
  if (u.lastName !== undefined) rep['lastName'] = u.lastName;
  if (u.email !== undefined) rep['email'] = u.email;
  rep['emailVerified'] = u.emailVerified;
  if (!brief && Object.keys(u.attributes).length > 0) rep['attributes'] = u.attributes;
  rep['createdTimestamp'] = u.createdTimestamp;
  rep['enabled'] = u.enabled;
  rep['totp'] = false;
  if (u.serviceAccountClientId) rep['serviceAccountClientId'] = u.serviceAccountClientId;
  rep['disableableCredentialTypes'] = [];
  rep['requiredActions'] = u.requiredActions;
  rep['notBefore'] = u.notBefore;
  if (!brief) rep['access'] = { manageGroupMembership: true, view: true, mapRoles: true, impersonate: false, manage: true };
  return rep;
}

export function roleRep(r: RoleRec, brief = true): Record<string, unknown> {
  const rep: Record<string, unknown> = { id: r.id, name: r.name };
  if (r.description !== undefined) rep['description'] = r.description;
  rep['composite'] = r.composites.length > 0;
  rep['clientRole'] = r.clientRole;
  rep['containerId'] = r.containerId;
  if (!brief) rep['attributes'] = r.attributes;
  return rep;
}

export function idpRep(i: IdpRec): Record<string, unknown> {
  const config = { ...((i.rep['config'] as Record<string, string> | undefined) ?? {}) };
  if (config['clientSecret'] !== undefined) config['clientSecret'] = SECRET_MASK;
  return { ...i.rep, alias: i.alias, internalId: i.internalId, config };
}

export function sessionRep(s: SessionRec, user: UserRec | undefined): Record<string, unknown> {
  return {
    id: s.id, username: user?.username, userId: s.userId, ipAddress: s.ipAddress, start: s.start,
    lastAccess: s.lastAccess, rememberMe: false, clients: s.clients, transientUser: false,
  };
}
