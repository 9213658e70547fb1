// The ThingsBoard emulator's persistent state and the seed a fresh CDM tenant-stack instance starts
// with: one tenant, its tenant administrator (and optionally the system administrator), the
// `default` device profile every tenant gets, and the `cdm-x509` profile that CDM's provision.sh
// creates (cdm-platform.md §6.2; the script calls it "CDM X.509 Devices", the docs `cdm-x509`).
import { randomBytes, randomUUID } from 'node:crypto';
import { deviceById, deviceByName } from './device-index.js';
import { hashPassword } from './passwords.js';
import type { KvValue } from './values.js';

/** ThingsBoard's "no customer" id (EntityId.NULL_UUID). */
export const NULL_UUID = '13814000-1dd2-11b2-8080-808080808080';

export interface EntityId { entityType: string; id: string }
export const entityId = (entityType: string, id: string): EntityId => ({ entityType, id });

export type Authority = 'SYS_ADMIN' | 'TENANT_ADMIN';

export interface UserRec {
  id: string;
  createdTime: number;
  email: string;
  authority: Authority;
  /** NULL_UUID for the system administrator, as in ThingsBoard. */
  tenantId: string;
  firstName: string | null;
  lastName: string | null;
  passwordHash: string;
}

/** Stored in the shape ThingsBoard returns (DeviceProfile JSON), so reads are copies. */
export type ProfileRec = Record<string, unknown> & { id: EntityId; name: string; default: boolean; createdTime: number };

export interface DeviceRec {
  id: string;
  createdTime: number;
  name: string;
  label: string | null;
  profileId: string;
  additionalInfo: unknown;
  deviceData: unknown;
  firmwareId: unknown;
  softwareId: unknown;
  externalId: unknown;
  customerId: string;
  version: number;
}

export interface CredentialsRec {
  id: string;
  createdTime: number;
  deviceId: string;
  credentialsType: string;
  credentialsId: string;
  credentialsValue: string | null;
  version: number;
}

export interface StoredKv { ts: number; value: KvValue }

export interface ActivityRec {
  lastActivityTime: number;
  lastConnectTime: number;
  lastDisconnectTime: number;
}

export interface AlarmRec {
  id: string;
  createdTime: number;
  type: string;
  originatorId: string;
  severity: string;
  acknowledged: boolean;
  cleared: boolean;
  startTs: number;
  endTs: number;
  ackTs: number;
  clearTs: number;
  details: unknown;
  propagate: boolean;
  propagateToOwner: boolean;
  propagateToTenant: boolean;
  propagateRelationTypes: unknown;
}

export interface AuditRec {
  id: string;
  createdTime: number;
  customerId: string;
  entityId: EntityId;
  entityName: string;
  userId: string;
  userName: string;
  actionType: string;
  actionData: unknown;
  actionStatus: 'SUCCESS' | 'FAILURE';
  actionFailureDetails: string | null;
}

export type Scope = 'CLIENT_SCOPE' | 'SERVER_SCOPE' | 'SHARED_SCOPE';

export interface TbState {
  /** HS512 key of `security.jwt.tokenSigningKey`; persisted so tokens survive a restart. */
  signingKey: string;
  tenantId: string;
  /** Rule chain the `cdm-x509` profile points at (the imported "CDM Device Provisioning" chain). */
  cdmRuleChainId: string;
  users: UserRec[];
  /** Session ids ended by /api/auth/logout: their tokens are outdated. */
  loggedOutSessions: string[];
  profiles: ProfileRec[];
  devices: DeviceRec[];
  credentials: CredentialsRec[];
  /** deviceId → scope → key → value */
  attributes: Record<string, Partial<Record<Scope, Record<string, StoredKv>>>>;
  /** deviceId → key → points, ascending by ts */
  timeseries: Record<string, Record<string, StoredKv[]>>;
  activity: Record<string, ActivityRec>;
  alarms: AlarmRec[];
  /** Oldest first. */
  audit: AuditRec[];
}

export interface SeedOptions {
  tenantAdmin: { username: string; password: string };
  sysAdmin?: { username: string; password: string };
  now: number;
}

export function seedState(opts: SeedOptions): TbState {
  const tenantId = randomUUID();
  const cdmRuleChainId = randomUUID();
  const users: UserRec[] = [user(opts.tenantAdmin, 'TENANT_ADMIN', tenantId, opts.now)];
  if (opts.sysAdmin) users.push(user(opts.sysAdmin, 'SYS_ADMIN', NULL_UUID, opts.now));
  return {
    signingKey: randomBytes(64).toString('base64'),
    tenantId,
    cdmRuleChainId,
    users,
    loggedOutSessions: [],
    profiles: [defaultProfile(tenantId, opts.now), cdmX509Profile(tenantId, cdmRuleChainId, opts.now)],
    devices: [],
    credentials: [],
    attributes: {},
    timeseries: {},
    activity: {},
    alarms: [],
    audit: [],
  };
}

function user(cred: { username: string; password: string }, authority: Authority, tenantId: string, now: number): UserRec {
  // ThingsBoard keeps e-mails lower-cased and logs in by e-mail.
  return { id: randomUUID(), createdTime: now, email: cred.username.toLowerCase(), authority, tenantId, firstName: null, lastName: null, passwordHash: hashPassword(cred.password) };
}

/** Fields every DeviceProfile carries, with ThingsBoard's defaults. */
export function profileSkeleton(tenantId: string, name: string, now: number): ProfileRec {
  return {
    id: entityId('DEVICE_PROFILE', randomUUID()),
    createdTime: now,
    tenantId: entityId('TENANT', tenantId),
    name,
    description: null,
    image: null,
    type: 'DEFAULT',
    transportType: 'DEFAULT',
    provisionType: 'DISABLED',
    defaultRuleChainId: null,
    defaultDashboardId: null,
    defaultQueueName: null,
    provisionDeviceKey: null,
    firmwareId: null,
    softwareId: null,
    defaultEdgeRuleChainId: null,
    externalId: null,
    version: 1,
    default: false,
    profileData: {
      configuration: { type: 'DEFAULT' },
      transportConfiguration: { type: 'DEFAULT' },
      provisionConfiguration: { type: 'DISABLED', provisionDeviceSecret: null },
      alarms: null,
    },
  };
}

function defaultProfile(tenantId: string, now: number): ProfileRec {
  return { ...profileSkeleton(tenantId, 'default', now), description: 'Default device profile', default: true };
}

/** provision.sh's profile: MQTT transport, ALLOW_CREATE_NEW_DEVICES, no alarm rules, the CDM rule chain. */
function cdmX509Profile(tenantId: string, ruleChainId: string, now: number): ProfileRec {
  // The UI (and the server's validator) insist on a key/secret pair for ALLOW_CREATE_NEW_DEVICES; the script sends none, so generated ones stand in.
  const key = randomBytes(10).toString('hex');
  const secret = randomBytes(10).toString('hex');
  return {
    ...profileSkeleton(tenantId, 'cdm-x509', now),
    description: 'CDM X.509 Devices',
    transportType: 'MQTT',
    provisionType: 'ALLOW_CREATE_NEW_DEVICES',
    provisionDeviceKey: key,
    defaultRuleChainId: entityId('RULE_CHAIN', ruleChainId),
    profileData: {
      configuration: { type: 'DEFAULT' },
      transportConfiguration: {
        type: 'MQTT',
        deviceTelemetryTopic: 'v1/devices/me/telemetry',
        deviceAttributesTopic: 'v1/devices/me/attributes',
        deviceAttributesSubscribeTopic: 'v1/devices/me/attributes',
        sparkplug: false,
        sendAckOnValidationException: false,
        transportPayloadTypeConfiguration: { transportPayloadType: 'JSON' },
      },
      provisionConfiguration: { type: 'ALLOW_CREATE_NEW_DEVICES', provisionDeviceSecret: secret },
      alarms: [],
    },
  };
}

export const findDevice = (s: TbState, id: string): DeviceRec | undefined => deviceById(s.devices, id);
export const findDeviceByName = (s: TbState, name: string): DeviceRec | undefined => deviceByName(s.devices, name);
export const findProfile = (s: TbState, id: string): ProfileRec | undefined => s.profiles.find((p) => p.id.id === id);
export const findUser = (s: TbState, id: string): UserRec | undefined => s.users.find((u) => u.id === id);
