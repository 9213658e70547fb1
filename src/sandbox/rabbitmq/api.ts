// What each group of routes gets from the emulator: the state and an auth guard.
import type { RequestContext, RouteHandler } from '../kit/router.js';
import type { JsonStore } from '../kit/store.js';
import { authorise, type Caller, type Level } from './auth.js';
import type { RabbitState } from './state.js';

/** Node name shown in cluster_state, overview and listeners. */
export const NODE = 'rabbit@localhost';

export type GuardedHandler = (ctx: RequestContext, caller: Caller) => void | Promise<void>;

export interface Api {
  store: JsonStore<RabbitState>;
  /** Wraps a handler so it only runs for a caller of at least `level` (the router matched first, as on the real server: unknown paths are 404 even without credentials). */
  route(level: Level, handler: GuardedHandler): RouteHandler;
}

export function createApi(store: JsonStore<RabbitState>): Api {
  return {
    store,
    route: (level, handler) => async (ctx) => {
      const caller = authorise(ctx, store.state, level);
      if (caller) await handler(ctx, caller);
    },
  };
}
