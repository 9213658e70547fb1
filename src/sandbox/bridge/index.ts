// The iot-bridge-api emulator of the embedded sandbox (cdm-platform.md §2, commands.md §7), in
// the provider role (JOIN: prepare, key handshake, legacy request/approve/reject, tenant register)
// or the tenant role (device enrollment, device list/delete, ThingsBoard webhooks). Like the real
// bridge it reaches step-ca, Keycloak, RabbitMQ, hawkBit and ThingsBoard only over HTTP(S), and
// answers in FastAPI's shapes. It reproduces upstream's API, not its security gaps: every route
// except /health and the two tenant-facing JOIN calls needs a verified Keycloak bearer token.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createContext, Router } from '../kit/router.js';
import { JsonStore } from '../kit/store.js';
import type { Emulator } from '../kit/types.js';
import { registerAuditRoute } from './audit-route.js';
import { ADMIN_ROLES, TENANT_READ_ROLES, TokenVerifier } from './auth.js';
import type { Bridge } from './context.js';
import { registerDeviceRoutes } from './devices.js';
import { registerEnrollRoute } from './enroll.js';
import { BridgeError, InternalError, PortalError } from './errors.js';
import { HawkbitClient } from './hawkbit-client.js';
import { registerJoinRoutes } from './join.js';
import { KeycloakAdminClient } from './keycloak-admin.js';
import { registerLegacyRoutes } from './legacy.js';
import type { BridgeEmulatorOptions } from './options.js';
import { RabbitMqClient } from './rabbitmq-client.js';
import { createEnrollmentSeeding, type EnrollmentSeeding } from './seed.js';
import { initialState, type BridgeState } from './state.js';
import { StepCaClient } from './stepca-client.js';
import { registerTenantRoutes } from './tenants.js';
import { ThingsboardClient } from './thingsboard-client.js';
import { registerWebhookRoutes } from './webhooks.js';
import { DEFAULT_WIREGUARD, planFrom } from './wireguard.js';
import { AddressBook } from './address-book.js';

export type { BridgeEmulatorOptions } from './options.js';
export type { AuditEvent, DeviceRec, TenantRec } from './state.js';

/** Tenant bridges offer seeding: `cdm stack seed` puts a large fleet straight into the state (seed.ts). */
export type BridgeEmulator = Emulator & { readonly seeding?: EnrollmentSeeding };

export function createBridgeEmulator(opts: BridgeEmulatorOptions): BridgeEmulator {
  const now = opts.now ?? Date.now;
  const store = new JsonStore<BridgeState>(opts.stateFile, () => initialState(opts.role));
  if (store.state.role !== opts.role) throw new Error(`bridge state ${opts.stateFile} belongs to a ${store.state.role} bridge, not ${opts.role}`);
  const plan = planFrom(opts.wireguard ?? DEFAULT_WIREGUARD);
  const b: Bridge = {
    opts, now, store,
    tokens: new TokenVerifier(opts.auth.keycloakUrl, opts.auth.realm, now),
    stepca: new StepCaClient(opts.stepca.url, opts.stepca.rootPem, now),
    wireguard: plan,
    addresses: new AddressBook(plan, () => store.state.devices),
    ...(opts.rabbitmq ? { rabbitmq: new RabbitMqClient(opts.rabbitmq.url, opts.rabbitmq.username, opts.rabbitmq.password) } : {}),
    ...(opts.keycloakAdmin ? { keycloakAdmin: new KeycloakAdminClient(opts.keycloakAdmin.url, opts.keycloakAdmin.username, opts.keycloakAdmin.password) } : {}),
    ...(opts.hawkbit ? { hawkbit: new HawkbitClient(opts.hawkbit.url, opts.hawkbit.username, opts.hawkbit.password) } : {}),
    ...(opts.thingsboard ? { thingsboard: new ThingsboardClient(opts.thingsboard.url, opts.thingsboard.username, opts.thingsboard.password) } : {}),
  };

  const router = new Router();
  router.get('/health', (ctx) => ctx.send(200, { status: 'ok', service: 'iot-bridge-api' }));
  if (opts.role === 'provider') {
    registerJoinRoutes(router, b);
    registerLegacyRoutes(router, b);
    registerTenantRoutes(router, b);
    registerAuditRoute(router, b, ADMIN_ROLES);
  } else {
    registerEnrollRoute(router, b);
    registerDeviceRoutes(router, b);
    registerWebhookRoutes(router, b);
    registerAuditRoute(router, b, TENANT_READ_ROLES);
  }

  return {
    name: 'iot-bridge-api',
    ...(opts.role === 'tenant' ? { seeding: createEnrollmentSeeding(b) } : {}),
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const ctx = createContext(req, res);
      const found = router.match(ctx.method, ctx.path);
      if (found === undefined) return ctx.send(404, { detail: 'Not Found' });
      if (found === 'method') return ctx.send(405, { detail: 'Method Not Allowed' });
      ctx.params = found.params;
      try {
        await found.handler(ctx);
      } catch (err) {
        if (err instanceof BridgeError) return ctx.send(err.status, { detail: err.detail }, err.headers);
        if (err instanceof PortalError) return ctx.send(err.status, { error: err.error });
        if (!(err instanceof InternalError)) console.error(`iot-bridge-api emulator: ${(err as Error).stack ?? String(err)}`);
        ctx.send(500, 'Internal Server Error', { 'content-type': 'text/plain; charset=utf-8' });
      }
    },
    async close(): Promise<void> {
      for (const c of [b.tokens, b.stepca, b.rabbitmq, b.keycloakAdmin, b.hawkbit, b.thingsboard]) c?.close();
      b.store.close();
    },
  };
}
