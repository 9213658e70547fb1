// Server-side RPC (B.4, AbstractRpcController): v2 `/api/rpc/{oneway|twoway}/{deviceId}` answers
// 504 on timeout and for an offline device; v1 `/api/plugins/rpc/...` answers 408 on timeout and
// 409 for an offline device. Both bodies carry `timeout` (default 10000 ms, never below
// server.rest.server_side_rpc.min_timeout) or an absolute `expirationTime`. The device side is the
// sandbox simulator's handler registered with onRpc(); without one the device is offline, and the
// request waits out its expiration like a pending request in the device actor, then fails.
// Every call is audited as RPC_CALL, failures with "RPC Error: <error>".
import type { RequestContext, Router } from '../kit/router.js';
import { isObject, ok, okEmpty, tenantOnly, type Caller, type Tb } from './api.js';
import { byCaller, logAction } from './audit.js';
import { badRequest, empty, general, parseUuid, text } from './errors.js';
import { entityId, findDevice, type DeviceRec } from './state.js';

export const DEFAULT_RPC_TIMEOUT_MS = 10_000;
export const DEFAULT_RPC_MIN_TIMEOUT_MS = 5_000;

type RpcError = 'TIMEOUT' | 'NO_ACTIVE_CONNECTION';
type Outcome = { reply: unknown } | { error: RpcError };

interface Flavour { timeoutStatus: number; offlineStatus: number }
const V2: Flavour = { timeoutStatus: 504, offlineStatus: 504 };
const V1: Flavour = { timeoutStatus: 408, offlineStatus: 409 };

/** A timer the emulator can cancel on close. */
function sleep(tb: Tb, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(() => { tb.timers.delete(t); resolve(); }, Math.max(0, ms));
    tb.timers.add(t);
  });
}

async function deliver(tb: Tb, device: DeviceRec, oneWay: boolean, method: string, params: unknown, waitMs: number): Promise<Outcome> {
  const handler = tb.rpcHandlers.get(device.name);
  if (!handler) {
    await sleep(tb, waitMs);
    return { error: 'NO_ACTIVE_CONNECTION' };
  }
  const answer = handler(method, params);
  if (oneWay) {
    answer.catch(() => undefined); // delivered; what the device does with it is its business
    return { reply: undefined };
  }
  // A handler that fails is a device that never answers: the request times out.
  const replied = answer.then((reply): Outcome => ({ reply }), () => new Promise<Outcome>(() => undefined));
  return Promise.race([replied, sleep(tb, waitMs).then((): Outcome => ({ error: 'TIMEOUT' }))]);
}

function parseBody(raw: string): Record<string, unknown> {
  let body: unknown;
  try { body = JSON.parse(raw); } catch { throw badRequest('Invalid request body'); }
  if (!isObject(body)) throw badRequest('Invalid request body');
  // `rpcRequestBody.get("method").asText()` without a method is a NullPointerException: 500, code 2.
  if (body['method'] === undefined || body['method'] === null) {
    throw general('Cannot invoke "com.fasterxml.jackson.databind.JsonNode.asText()" because the return value of "com.fasterxml.jackson.databind.JsonNode.get(String)" is null');
  }
  return body;
}

function audit(tb: Tb, caller: Caller, d: DeviceRec, oneWay: boolean, method: string, params: string | null, error?: RpcError): void {
  tb.store.update((s) => logAction(s, tb.now(), byCaller(caller, {
    entity: entityId('DEVICE', d.id), entityName: d.name, actionType: 'RPC_CALL',
    actionData: { entityId: d.id, oneWay, method, params }, ...(error ? { failure: `RPC Error: ${error}` } : {}),
  })));
}

/** The device's reply is the payload it published: a string is sent as is and must be JSON, anything else is JSON-encoded. */
function sendReply(ctx: RequestContext, reply: unknown): boolean {
  if (reply === undefined || reply === null || reply === '') { okEmpty(ctx); return true; }
  if (typeof reply !== 'string') { ok(ctx, reply); return true; }
  try {
    ok(ctx, JSON.parse(reply));
    return true;
  } catch {
    return false;
  }
}

function handler(tb: Tb, oneWay: boolean, flavour: Flavour) {
  return tenantOnly(async (ctx, caller) => {
    const deviceId = parseUuid(ctx.params['deviceId']!);
    const body = parseBody(await ctx.text());
    const method = typeof body['method'] === 'string' ? body['method'] : JSON.stringify(body['method']);
    const params = body['params'] === undefined ? null : JSON.stringify(body['params']);
    const timeout = typeof body['timeout'] === 'number' ? body['timeout'] : DEFAULT_RPC_TIMEOUT_MS;
    const now = tb.now();
    const expirationTime = typeof body['expirationTime'] === 'number' ? body['expirationTime'] : now + Math.max(tb.rpcMinTimeoutMs, timeout);
    const device = findDevice(tb.store.state, deviceId);
    if (!device) throw text(404, "Device with requested id wasn't found!");
    const outcome = await deliver(tb, device, oneWay, method, body['params'] ?? null, expirationTime - now);
    if ('error' in outcome) {
      audit(tb, caller, device, oneWay, method, params, outcome.error);
      throw empty(outcome.error === 'TIMEOUT' ? flavour.timeoutStatus : flavour.offlineStatus);
    }
    // ThingsBoard audits an undecodable reply as a success too, then answers 406.
    audit(tb, caller, device, oneWay, method, params);
    if (!sendReply(ctx, outcome.reply)) throw empty(406);
  });
}

export function registerRpc(router: Router, tb: Tb): void {
  router.post('/api/rpc/twoway/:deviceId', handler(tb, false, V2));
  router.post('/api/rpc/oneway/:deviceId', handler(tb, true, V2));
  router.post('/api/plugins/rpc/twoway/:deviceId', handler(tb, false, V1));
  router.post('/api/plugins/rpc/oneway/:deviceId', handler(tb, true, V1));
}
