// RabbitMQ management HTTP API emulator (behaviour of RabbitMQ 3.10.8, measured in
// shared/reference/real-servers.md §2 and re-checked against a real node by
// test/conformance/rabbitmq.conformance.test.ts). Only the management API: no AMQP or MQTT.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createContext, Router } from '../kit/router.js';
import { JsonStore } from '../kit/store.js';
import type { Emulator } from '../kit/types.js';
import { createApi } from './api.js';
import { registerNode } from './node.js';
import { registerPermissions } from './permissions.js';
import { empty, notFound } from './replies.js';
import { applyDefinitions, seedState, type Definitions, type RabbitState } from './state.js';
import { registerUsers } from './users.js';
import { registerVhosts } from './vhosts.js';

export interface RabbitMqEmulatorOptions {
  /** Where the state persists; omitted keeps it in memory. An existing file wins over the admin seed, as on a real node. */
  stateFile?: string;
  /** The bootstrap administrator (rabbitmq.conf's default_user / default_pass). */
  adminUser: string;
  adminPassword: string;
  /** Accepted like every emulator's clock; the management resources emulated here carry no timestamps. */
  now?: () => number;
  /** `load_definitions`: imported at every start, as the real node does at every boot. */
  definitions?: Definitions;
}

export { RABBITMQ_VERSION } from './node.js';

export function createRabbitMqEmulator(opts: RabbitMqEmulatorOptions): Emulator {
  const store = new JsonStore<RabbitState>(opts.stateFile, () => seedState(opts.adminUser, opts.adminPassword));
  const defs = opts.definitions;
  if (defs) store.update((s) => applyDefinitions(s, defs));
  const router = new Router();
  const api = createApi(store);
  registerNode(router, api);
  registerVhosts(router, api);
  registerUsers(router, api);
  registerPermissions(router, api);

  return {
    name: 'rabbitmq',
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const ctx = createContext(req, res);
      // HEAD is answered like GET (Node drops the body); OPTIONS lists the methods.
      const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
      if (method === 'OPTIONS') {
        const allow = allowed(router, ctx.path);
        return allow ? empty(ctx, 200, { allow }) : notFound(ctx);
      }
      const found = router.match(method, ctx.path);
      if (found === undefined) return notFound(ctx);
      if (found === 'method') return empty(ctx, 405, { allow: allowed(router, ctx.path)! });
      ctx.params = found.params;
      await found.handler(ctx);
    },
  };
}

/** The Allow header the real server sends, e.g. "HEAD, GET, PUT, DELETE, OPTIONS". */
function allowed(router: Router, path: string): string | undefined {
  const methods = ['GET', 'PUT', 'DELETE', 'POST'].filter((m) => typeof router.match(m, path) === 'object');
  if (methods.length === 0) return undefined;
  return [...(methods.includes('GET') ? ['HEAD'] : []), ...methods, 'OPTIONS'].join(', ');
}
