// Shapes of the ThingsBoard CE REST API the device views use (hawkbit-thingsboard.md PART B).
// Types only: imported by command files on the startup path.

export interface EntityId { entityType?: string; id: string }

/** `PageData` (B.2): `page` is 0-based. */
export interface PageData<T> {
  data: T[];
  totalPages: number;
  totalElements: number;
  hasNext: boolean;
}

export interface TbDevice {
  id: EntityId;
  createdTime?: number;
  name: string;
  type?: string;
  label?: string | null;
  /** Only on DeviceInfo (`/api/tenant/deviceInfos`). */
  active?: boolean;
  deviceProfileName?: string;
}

export type AlarmSearchStatus = 'ANY' | 'ACTIVE' | 'CLEARED' | 'ACK' | 'UNACK';
export const ALARM_SEARCH_STATUSES: readonly AlarmSearchStatus[] = ['ANY', 'ACTIVE', 'CLEARED', 'ACK', 'UNACK'];

export interface TbAlarm {
  id: EntityId;
  createdTime?: number;
  type: string;
  originator: EntityId;
  originatorName?: string;
  severity: string;
  acknowledged: boolean;
  cleared: boolean;
  status: string;
  startTs?: number;
  endTs?: number;
  ackTs?: number;
  clearTs?: number;
  details?: unknown;
}

/** Latest time-series values: `{key: [{ts, value}]}`; values are strings unless strict types. */
export type LatestValues = Record<string, { ts: number; value: unknown }[] | undefined>;

/** One device's latest telemetry and server attributes, shaped like the per-device endpoints' answers. */
export interface DeviceLatest { telemetry: LatestValues; attributes: LatestValues }

/** An entity data query row (POST /api/entitiesQuery/find): latest values by key type, as strings. */
export interface EntityData {
  entityId: { entityType: string; id: string };
  latest?: Record<string, Record<string, { ts: number; value?: string | null }> | undefined>;
}

export interface TbAttribute { key: string; value: unknown; lastUpdateTs?: number }
