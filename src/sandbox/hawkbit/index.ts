// The hawkBit emulator of the embedded sandbox: hawkBit 1.x Management API (/rest/v1, HTTP
// Basic) and DDI (/{tenant}/controller/v1/{controllerId}, TargetToken/GatewayToken), with the
// rollout engine driven by a scheduler pass like hawkBit's RolloutScheduler. State persists in
// one JSON file (artifact binaries beside it); an existing file wins over the seed.
//
// Timing: the scheduler pass runs every `schedulerIntervalMs` (default 500 ms; hawkBit's
// `hawkbit.rollout.scheduler.fixedDelay` is 2000 ms). A new rollout answers `creating` and
// becomes `ready` on the first pass at least `creatingDelayMs` (default 0) after its creation,
// so within one interval; `start` answers 204 with the rollout `starting`, the next pass makes
// it `running`. Device feedback re-evaluates running rollouts at once instead of waiting.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createContext, Router } from '../kit/router.js';
import { JsonStore } from '../kit/store.js';
import type { Emulator } from '../kit/types.js';
import { registerActions } from './actions.js';
import { registerArtifacts } from './artifacts.js';
import { basicAuth } from './auth.js';
import { createBlobStore } from './blobs.js';
import { setCaller, type Hb } from './context.js';
import { registerDdi } from './ddi.js';
import { registerDistributionSets } from './distribution-sets.js';
import { HbError } from './errors.js';
import { registerFilters, runAutoAssign } from './filters.js';
import { sendError, SpringError } from './http.js';
import { registerModuleTypes } from './module-types.js';
import { registerModules } from './modules.js';
import { evaluateRunning, schedulerPass } from './rollout-engine.js';
import { registerRollouts } from './rollouts.js';
import { createTargetSeeding, type TargetSeeding } from './seed.js';
import { seedState, type HbState } from './state.js';
import { registerSystem } from './system.js';
import { registerTags } from './tags.js';
import { registerTargets } from './targets.js';
import { TargetIndex } from './target-index.js';

export interface HawkbitEmulatorOptions {
  /** Where the state persists; undefined keeps it in memory. */
  stateFile?: string;
  /** DDI tenant path segment. CDM uses hawkBit's own tenant `DEFAULT` (cdm-platform.md §5.1/§5.2); matched case-insensitively. */
  tenant: string;
  /** Basic-auth users of the Management API (CDM: the image default admin/admin). */
  users: Array<{ username: string; password: string }>;
  /** Base of `_links` and artifact download URLs, e.g. http://127.0.0.1:8070/hawkbit; its path (the context path) is also accepted as a request prefix. */
  publicUrl: string;
  now?: () => number;
  /** DDI polling interval advertised (`config.polling.sleep`), default "00:01:00" (CDM's hawkbit.controller.pollingTime). Only used when seeding. */
  pollingTime?: string;
  /** Period of the rollout scheduler pass; 0 disables the timer (tests then call runScheduler). Default 500. */
  schedulerIntervalMs?: number;
  /** Minimum age of a `creating` rollout before a pass fills its groups. Default 0 (the next pass). */
  creatingDelayMs?: number;
  /** Rollout approval workflow (tenant config `rollout.approval.enabled`): new rollouts wait in `waiting_for_approval`. Default false. */
  approvalRequired?: boolean;
}

export type HawkbitEmulator = Emulator & {
  /** Test seam: runs one scheduler pass now (creating→ready, startAt, starting→running, engine, stop/delete, auto-assign). */
  runScheduler(): void;
  /** The live state, for the sandbox host and tests to read (changes go through the APIs). */
  readonly state: HbState;
  /** Seeding: `cdm stack seed` puts a large fleet straight into the state (seed.ts). */
  readonly seeding: TargetSeeding;
};

export function createHawkbitEmulator(opts: HawkbitEmulatorOptions): HawkbitEmulator {
  const now = opts.now ?? Date.now;
  const store = new JsonStore<HbState>(opts.stateFile, () => seedState(now(), opts.pollingTime ?? '00:01:00'));
  const publicUrl = opts.publicUrl.replace(/\/+$/, '');
  const basePath = new URL(publicUrl).pathname.replace(/\/+$/, '');
  const engineOptions = (): { now: number; creatingDelayMs: number; approvalRequired: boolean } => ({
    now: now(), creatingDelayMs: opts.creatingDelayMs ?? 0, approvalRequired: opts.approvalRequired ?? false,
  });

  const runScheduler = (): void => {
    const s = store.state;
    const changed = schedulerPass(s, engineOptions());
    const assigned = runAutoAssign(s, now());
    if (changed || assigned) store.commit();
  };
  const hb: Hb = {
    store, now, publicUrl, tenant: opts.tenant, blobs: createBlobStore(opts.stateFile), targets: new TargetIndex(), runScheduler,
    onActionsChanged: () => {
      if (evaluateRunning(store.state, now())) store.commit();
    },
  };

  const mgmt = new Router();
  registerSystem(mgmt, hb);
  registerTargets(mgmt, hb);
  registerActions(mgmt, hb);
  registerTags(mgmt, hb);
  registerFilters(mgmt, hb);
  registerModuleTypes(mgmt, hb);
  registerModules(mgmt, hb);
  registerArtifacts(mgmt, hb);
  registerDistributionSets(mgmt, hb);
  registerRollouts(mgmt, hb);
  const ddi = new Router();
  registerDdi(ddi, hb);

  const interval = opts.schedulerIntervalMs ?? 500;
  const timer = interval > 0 ? setInterval(runScheduler, interval) : undefined;
  timer?.unref();

  return {
    name: 'hawkbit',
    runScheduler,
    get state() { return store.state; },
    seeding: createTargetSeeding(hb),
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const ctx = createContext(req, res);
      let path = ctx.path;
      if (basePath && (path === basePath || path.startsWith(`${basePath}/`))) path = path.slice(basePath.length) || '/';
      const method = ctx.method === 'HEAD' ? 'GET' : ctx.method;
      try {
        const isMgmt = path === '/rest' || path.startsWith('/rest/');
        if (isMgmt) {
          // Spring Security authenticates before dispatch: unknown paths answer 401 without credentials.
          const user = basicAuth(ctx, opts.users);
          if (!user) return;
          setCaller(req, user);
        }
        const found = (isMgmt ? mgmt : ddi).match(method, path);
        if (found === undefined) throw new SpringError(404, 'Not Found', ctx.path);
        if (found === 'method') throw new SpringError(405, 'Method Not Allowed', ctx.path);
        ctx.params = found.params;
        await found.handler(ctx);
      } catch (err) {
        if (err instanceof HbError || err instanceof SpringError) return sendError(ctx, err, now());
        // Anything unforeseen: hawkBit's generic 500 body.
        ctx.send(500, {
          exceptionClass: 'java.lang.RuntimeException', errorCode: 'hawkbit.server.error.repo.genericError',
          message: (err as Error).message,
        });
      }
    },
    close(): Promise<void> {
      if (timer) clearInterval(timer);
      store.close(); // writes lazily recorded poll timestamps
      return Promise.resolve();
    },
  };
}
