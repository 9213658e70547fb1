// The ThingsBoard CE emulator of the embedded sandbox (behaviour of 4.2.1, the version the CDM
// tenant stack runs; hawkbit-thingsboard.md PART B): JWT login, devices and credentials, device
// profiles, telemetry and attributes, alarms, audit logs and server-side RPC, with ThingsBoard's
// error bodies and refusals, persisted in one state file. The simulator feeds it device data
// through the device-side methods, as a device would over MQTT.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createContext, Router, type RequestContext } from '../kit/router.js';
import { JsonStore } from '../kit/store.js';
import type { Emulator } from '../kit/types.js';
import { setCaller, type Tb } from './api.js';
import { registerAlarms } from './alarms.js';
import { registerAttributes } from './attributes.js';
import { registerAudit } from './audit.js';
import { authenticate, login, refresh, registerAuthRoutes } from './auth.js';
import { registerCredentials } from './credentials.js';
import { createDeviceSide, type DeviceSide } from './device-side.js';
import { registerDevices } from './devices.js';
import { registerEntityQuery } from './entity-query.js';
import { TbError } from './errors.js';
import { registerProfiles } from './profiles.js';
import { DEFAULT_RPC_MIN_TIMEOUT_MS, registerRpc } from './rpc.js';
import { createDeviceSeeding, type DeviceSeeding } from './seed.js';
import { seedState, type TbState } from './state.js';
import { registerTimeseries } from './telemetry.js';

export interface ThingsboardEmulatorOptions {
  /** Where the state persists; undefined keeps it in memory. An existing file wins over the seed. */
  stateFile?: string;
  tenantAdmin: { username: string; password: string };
  sysAdmin?: { username: string; password: string };
  now?: () => number;
  /** Inactivity timeout for `active` (state.defaultInactivityTimeoutInSec), default 600 s as ThingsBoard. */
  activityTimeoutMs?: number;
  /** server.rest.server_side_rpc.min_timeout, default 5000 ms as ThingsBoard; tests lower it to keep offline-RPC waits short. */
  rpcMinTimeoutMs?: number;
}

/** Seeding: `cdm stack seed` puts a large fleet straight into the state (seed.ts). */
export type ThingsboardEmulator = Emulator & DeviceSide & { readonly seeding: DeviceSeeding };

export const DEFAULT_ACTIVITY_TIMEOUT_MS = 600_000;

export function createThingsboardEmulator(opts: ThingsboardEmulatorOptions): ThingsboardEmulator {
  const now = opts.now ?? Date.now;
  const store = new JsonStore<TbState>(opts.stateFile, () => seedState({ tenantAdmin: opts.tenantAdmin, sysAdmin: opts.sysAdmin, now: now() }));
  const tb: Tb = {
    store, now,
    activityTimeoutMs: opts.activityTimeoutMs ?? DEFAULT_ACTIVITY_TIMEOUT_MS,
    rpcMinTimeoutMs: opts.rpcMinTimeoutMs ?? DEFAULT_RPC_MIN_TIMEOUT_MS,
    rpcHandlers: new Map(),
    timers: new Set(),
  };
  const router = new Router();
  registerAuthRoutes(router, tb);
  registerProfiles(router, tb);
  registerCredentials(router, tb);
  registerDevices(router, tb);
  registerEntityQuery(router, tb);
  registerTimeseries(router, tb);
  registerAttributes(router, tb);
  registerAlarms(router, tb);
  registerAudit(router, tb);
  registerRpc(router, tb);

  return {
    name: 'thingsboard',
    ...createDeviceSide(tb),
    seeding: createDeviceSeeding(tb),
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const ctx = createContext(req, res);
      try {
        await dispatch(ctx, router, tb);
      } catch (err) {
        reply(ctx, err, tb.now());
      }
    },
    async close(): Promise<void> {
      for (const t of tb.timers) clearTimeout(t);
      tb.timers.clear();
      // Device-side ingestion is written lazily: flush it on a clean stop.
      tb.store.close();
    },
  };
}

async function dispatch(ctx: RequestContext, router: Router, tb: Tb): Promise<void> {
  // The login and refresh filters sit in front of the JWT filter and take any method.
  if (ctx.path === '/api/auth/login') return login(ctx, tb);
  if (ctx.path === '/api/auth/token') return refresh(ctx, tb);
  // Spring Security guards all of /api/** before any routing: unknown API paths are 401 without a token.
  if (ctx.path.startsWith('/api/')) setCaller(ctx, await authenticate(ctx, tb));
  const found = router.match(ctx.method, ctx.path);
  if (found === undefined) return problem(ctx, 404, 'Not Found', `No static resource ${ctx.path.slice(1)}.`);
  if (found === 'method') return problem(ctx, 405, 'Method Not Allowed', `Method '${ctx.method}' is not supported.`);
  ctx.params = found.params;
  await found.handler(ctx);
}

/** Spring 6's ProblemDetail, what ResponseEntityExceptionHandler answers for no route and a wrong method. */
function problem(ctx: RequestContext, status: number, title: string, detail: string): void {
  ctx.send(status, JSON.stringify({ type: 'about:blank', title, status, detail, instance: ctx.path }), { 'content-type': 'application/problem+json' });
}

function reply(ctx: RequestContext, err: unknown, now: number): void {
  if (!(err instanceof TbError)) {
    // BaseController.handleException: anything unexpected is code 2 with the exception's message.
    ctx.send(500, JSON.stringify({ status: 500, message: (err as Error)?.message ?? 'Internal Server Error', errorCode: 2, timestamp: now }), { 'content-type': 'application/json' });
    return;
  }
  const f = err.failure;
  switch (f.kind) {
    case 'json':
      ctx.send(f.status, JSON.stringify({ status: f.status, message: f.message, errorCode: f.errorCode, timestamp: now }), { 'content-type': 'application/json' });
      return;
    case 'text':
      ctx.send(f.status, f.text, { 'content-type': 'text/plain;charset=UTF-8' });
      return;
    case 'empty':
      ctx.send(f.status, undefined, { 'content-length': '0' });
  }
}
