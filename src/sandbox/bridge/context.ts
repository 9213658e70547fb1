// Everything a route handler of the bridge needs: options, clock, store, backend clients.
import type { JsonStore } from '../kit/store.js';
import type { AddressBook } from './address-book.js';
import type { TokenVerifier } from './auth.js';
import type { HawkbitClient } from './hawkbit-client.js';
import type { KeycloakAdminClient } from './keycloak-admin.js';
import type { BridgeEmulatorOptions } from './options.js';
import type { RabbitMqClient } from './rabbitmq-client.js';
import { iso, type AuditEvent, type BridgeState } from './state.js';
import type { StepCaClient } from './stepca-client.js';
import type { ThingsboardClient } from './thingsboard-client.js';
import type { WireGuardPlan } from './wireguard.js';

export interface Bridge {
  opts: BridgeEmulatorOptions;
  now: () => number;
  store: JsonStore<BridgeState>;
  tokens: TokenVerifier;
  stepca: StepCaClient;
  rabbitmq?: RabbitMqClient;
  keycloakAdmin?: KeycloakAdminClient;
  hawkbit?: HawkbitClient;
  thingsboard?: ThingsboardClient;
  wireguard: WireGuardPlan;
  addresses: AddressBook;
}

/** Older events beyond this many are dropped, so a long-running sandbox's state file stays small. */
export const AUDIT_LIMIT = 100_000;
/** Dropped in batches of this many: each drop rewrites the whole audit array in the store's log. */
const AUDIT_TRIM_BATCH = 10_000;

export function audit(b: Bridge, e: Omit<AuditEvent, 'time'>): void {
  b.store.patch((s, touch) => {
    s.audit.push({ time: iso(b.now()), ...e });
    if (s.audit.length > AUDIT_LIMIT + AUDIT_TRIM_BATCH) {
      s.audit.splice(0, s.audit.length - AUDIT_LIMIT);
      touch('audit');
    } else {
      touch('audit', s.audit.length - 1);
    }
  });
}
