// The persisted shape of the emulator: one JSON document holding every realm with its keys, roles,
// clients, users, sessions, pending device codes and stored events. Everything a restart must keep
// lives here; nothing else is stateful.
import type { RealmKeys } from './keys.js';

export interface RoleRec {
  id: string;
  name: string;
  description?: string;
  /** Ids of the roles this composite role contains. */
  composites: string[];
  /** Realm id for realm roles, client UUID for client roles. */
  containerId: string;
  clientRole: boolean;
  attributes: Record<string, string[]>;
}

export interface ClientRec {
  id: string;
  clientId: string;
  enabled: boolean;
  publicClient: boolean;
  bearerOnly: boolean;
  standardFlowEnabled: boolean;
  implicitFlowEnabled: boolean;
  directAccessGrantsEnabled: boolean;
  serviceAccountsEnabled: boolean;
  /** Client secrets must be readable back through `client-secret`, so Keycloak (and we) keep them as-is. */
  secret?: string;
  attributes: Record<string, string>;
  redirectUris: string[];
  webOrigins: string[];
  /** Remaining representation fields (name, description, rootUrl, adminUrl, …) round-tripped verbatim. */
  other: Record<string, unknown>;
}

export interface UserRec {
  id: string;
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  enabled: boolean;
  emailVerified: boolean;
  createdTimestamp: number;
  attributes: Record<string, string[]>;
  requiredActions: string[];
  /** scrypt hash; never the password itself. */
  passwordHash?: string;
  passwordCreated?: number;
  /** Directly mapped role ids (realm and client roles). */
  roleIds: string[];
  serviceAccountClientId?: string;
  /** Seconds; tokens issued before are rejected (set by `users/{id}/logout`). */
  notBefore: number;
}

export interface SessionRec {
  id: string;
  userId: string;
  ipAddress: string;
  start: number;
  lastAccess: number;
  /** client UUID → clientId */
  clients: Record<string, string>;
}

export interface DeviceCodeRec {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scope: string;
  createdAt: number;
  expiresAt: number;
  interval: number;
  lastPollAt?: number;
  status: 'pending' | 'approved' | 'denied';
  userId?: string;
  sessionId?: string;
}

export interface EventRec {
  id: string;
  time: number;
  type: string;
  realmId: string;
  clientId?: string;
  userId?: string;
  sessionId?: string;
  ipAddress?: string;
  error?: string;
  details?: Record<string, string>;
}

export interface AdminEventRec {
  id: string;
  time: number;
  realmId: string;
  authDetails: { realmId: string; clientId: string; userId: string; ipAddress: string };
  operationType: 'CREATE' | 'UPDATE' | 'DELETE' | 'ACTION';
  resourceType: string;
  resourcePath: string;
  representation?: string;
  error?: string;
}

export interface IdpRec {
  internalId: string;
  alias: string;
  /** Full IdentityProviderRepresentation as stored (secrets unmasked; masked on the way out). */
  rep: Record<string, unknown>;
}

export interface IdpMapperRec {
  id: string;
  name: string;
  identityProviderAlias: string;
  identityProviderMapper: string;
  config: Record<string, string>;
}

export interface RealmSettings {
  displayName?: string;
  enabled: boolean;
  sslRequired: string;
  accessTokenLifespan: number;
  ssoSessionIdleTimeout: number;
  ssoSessionMaxLifespan: number;
  oauth2DeviceCodeLifespan: number;
  oauth2DevicePollingInterval: number;
  eventsEnabled: boolean;
  eventsExpiration?: number;
  eventsListeners: string[];
  enabledEventTypes: string[];
  adminEventsEnabled: boolean;
  adminEventsDetailsEnabled: boolean;
  registrationAllowed: boolean;
  bruteForceProtected: boolean;
  duplicateEmailsAllowed: boolean;
  loginWithEmailAllowed: boolean;
  /** Seconds; tokens issued before are rejected (set by `logout-all`). */
  notBefore: number;
}

export interface RealmRec {
  id: string;
  name: string;
  settings: RealmSettings;
  /** Unknown top-level representation fields, returned as given. */
  other: Record<string, unknown>;
  keys: RealmKeys;
  roles: RoleRec[];
  clients: ClientRec[];
  users: UserRec[];
  idps: IdpRec[];
  idpMappers: IdpMapperRec[];
  sessions: SessionRec[];
  deviceCodes: DeviceCodeRec[];
  /** Revoked access-token ids, kept until the token would have expired anyway. */
  revokedTokens: Array<{ jti: string; exp: number }>;
  events: EventRec[];
  adminEvents: AdminEventRec[];
}

export interface KcState {
  version: 1;
  /** Keyed by realm name (Keycloak's admin API addresses realms by name). */
  realms: Record<string, RealmRec>;
}
