// The DDI (device) API under /{tenant}/controller/v1/{controllerId}: base poll, deploymentBase,
// feedback, cancelAction, configData, installedBase and artifact downloads, with hawkBit 1.1's
// DdiRootController semantics (410 Gone for feedback to a closed action, bare 404s where the
// controller answers ResponseEntity.notFound(), ExceptionInfo 404s for unknown targets/actions).
import type { RequestContext, Router } from '../kit/router.js';
import { sendArtifact } from './artifacts.js';
import { ddiAuth, type DdiCaller } from './auth.js';
import type { Hb } from './context.js';
import { activeActions, addStatus, cancelFeedback, EXECUTIONS, RESULTS, targetAction, updateFeedback, type Feedback } from './deployment.js';
import { HbError, notFound, notReadable } from './errors.js';
import { isObject, num, pathId, readObject, str } from './http.js';
import { windowAvailable } from './maintenance.js';
import { getTarget, newTarget } from './targets.js';
import { lookup, setEntry, touch, type ActionRec, type ArtifactRec, type HbState, type ModuleRec, type TargetRec } from './state.js';

const BASE = '/:tenant/controller/v1/:controllerId';
/** CDM's hawkBit: `maxAttributeEntriesPerTarget=100` (cdm-platform.md §5.1). */
const MAX_ATTRIBUTES = 100;

export function registerDdi(router: Router, hb: Hb): void {
  const state = (): HbState => hb.store.state;

  /** Tenant and credentials; `undefined` after the bare 401. */
  const guard = (ctx: RequestContext): DdiCaller | undefined => {
    if (ctx.params.tenant!.toUpperCase() !== hb.tenant.toUpperCase()) {
      ctx.send(401); // the credentials cannot belong to a tenant that does not exist
      return undefined;
    }
    return ddiAuth(ctx, state(), ctx.params.controllerId!);
  };
  const prefix = (ctx: RequestContext): string => `/${encodeURIComponent(ctx.params.tenant!)}/controller/v1/${encodeURIComponent(ctx.params.controllerId!)}`;

  router.get(BASE, (ctx) => {
    const caller = guard(ctx);
    if (!caller) return;
    const cid = ctx.params.controllerId!;
    const now = hb.now();
    const remote = ctx.req.socket.remoteAddress?.replace(/^::ffff:/, '');
    // A poll changes only its target's record. A routine poll of a known target only moves
    // timestamps: logged lazily; registrations are committed at once.
    const known = lookup(state().targets, cid);
    const write = known && known.updateStatus !== 'unknown' ? hb.store.patchDeferred.bind(hb.store) : hb.store.patch.bind(hb.store);
    const target = write((s, touch) => {
      touch('targets', cid);
      let t = lookup(s.targets, cid);
      if (!t) {
        // Plug and play: only reachable with a gateway token (a target token needs an existing target).
        t = newTarget(cid, now, 'CONTROLLER_PLUG_AND_PLAY');
        setEntry(s.targets, cid, t);
        hb.targets.invalidate();
      }
      t.lastControllerRequestAt = now;
      if (t.updateStatus === 'unknown') t.updateStatus = 'registered';
      if (remote) t.address = `http://${remote.includes(':') ? `[${remote}]` : remote}`;
      return t;
    });
    const links: Record<string, unknown> = {};
    const active = activeActions(state(), cid)[0];
    if (active?.status === 'canceling') links.cancelAction = href(hb, `${prefix(ctx)}/cancelAction/${active.id}`);
    else if (active) links.deploymentBase = href(hb, `${prefix(ctx)}/deploymentBase/${active.id}?c=${etag(active, now)}`);
    const installed = lastInstalled(state(), target);
    if (installed) links.installedBase = href(hb, `${prefix(ctx)}/installedBase/${installed.id}`);
    if (target.requestAttributes) links.configData = href(hb, `${prefix(ctx)}/configData`);
    ctx.send(200, { config: { polling: { sleep: state().config.pollingTime } }, _links: links }, { 'content-type': 'application/hal+json' });
  });

  router.get(`${BASE}/deploymentBase/:actionId`, (ctx) => {
    if (!guard(ctx)) return;
    const target = getTarget(state(), ctx.params.controllerId!);
    const action = targetAction(state(), target.controllerId, pathId(ctx, 'actionId'));
    if (action.status === 'canceling' || action.status === 'canceled' || action.status === 'wait_for_confirmation') return ctx.send(404);
    const body = deploymentBase(hb, ctx, target, action);
    hb.store.update((s) => registerRetrieved(s, action, hb.now(), 'Update Server: Target retrieved update action and should start now the download.'));
    ctx.send(200, body, { 'content-type': 'application/hal+json' });
  });

  router.post(`${BASE}/deploymentBase/:actionId/feedback`, async (ctx) => {
    if (!guard(ctx)) return;
    const target = getTarget(state(), ctx.params.controllerId!);
    const action = targetAction(state(), target.controllerId, pathId(ctx, 'actionId'));
    const fb = parseFeedback(await readObject(ctx));
    if (action.status === 'wait_for_confirmation') return ctx.send(404);
    if (!action.active) return ctx.send(410);
    hb.store.update((s) => updateFeedback(s, action, fb, hb.now()));
    hb.onActionsChanged();
    ctx.send(200);
  });

  router.get(`${BASE}/cancelAction/:actionId`, (ctx) => {
    if (!guard(ctx)) return;
    const target = getTarget(state(), ctx.params.controllerId!);
    const action = targetAction(state(), target.controllerId, pathId(ctx, 'actionId'));
    if (action.status !== 'canceling' && action.status !== 'canceled') return ctx.send(404);
    hb.store.update((s) => registerRetrieved(s, action, hb.now(), 'Update Server: Target retrieved cancel action and should start now the cancellation.'));
    ctx.send(200, { id: String(action.id), cancelAction: { stopId: String(action.id) } });
  });

  router.post(`${BASE}/cancelAction/:actionId/feedback`, async (ctx) => {
    if (!guard(ctx)) return;
    const target = getTarget(state(), ctx.params.controllerId!);
    const action = targetAction(state(), target.controllerId, pathId(ctx, 'actionId'));
    const fb = parseFeedback(await readObject(ctx));
    hb.store.update((s) => cancelFeedback(s, action, fb, hb.now()));
    hb.onActionsChanged();
    ctx.send(200);
  });

  router.put(`${BASE}/configData`, async (ctx) => {
    if (!guard(ctx)) return;
    const target = getTarget(state(), ctx.params.controllerId!);
    const body = await readObject(ctx);
    const mode = (str(body, 'mode') ?? 'merge').toLowerCase();
    if (!['merge', 'replace', 'remove'].includes(mode) || !isObject(body.data)) throw notReadable();
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(body.data)) {
      if (typeof v !== 'string' && mode !== 'remove') throw notReadable();
      if (k.length > 128 || (typeof v === 'string' && v.length > 128)) {
        throw new HbError(400, 'org.eclipse.hawkbit.repository.exception.InvalidTargetAttributeException', 'hawkbit.server.error.repo.invalidTargetAttributes', 'The given target attributes are invalid');
      }
      setEntry(data, k, typeof v === 'string' ? v : '');
    }
    let next: Record<string, string>;
    if (mode === 'replace') next = data;
    else if (mode === 'remove') next = Object.fromEntries(Object.entries(target.attributes).filter(([k]) => !Object.hasOwn(data, k)));
    else next = Object.assign(Object.create(null) as Record<string, string>, target.attributes, data);
    if (Object.keys(next).length > MAX_ATTRIBUTES) {
      throw new HbError(429, 'org.eclipse.hawkbit.repository.exception.AssignmentQuotaExceededException', 'hawkbit.server.error.quota.tooManyEntries',
        `Quota exceeded: cannot assign more than ${MAX_ATTRIBUTES} Attribute entries to Target ${target.controllerId}`);
    }
    hb.store.update(() => {
      target.attributes = { ...next };
      target.requestAttributes = false;
      touch(target, hb.now(), target.controllerId);
    });
    ctx.send(200);
  });

  router.get(`${BASE}/installedBase/:actionId`, (ctx) => {
    if (!guard(ctx)) return;
    const target = getTarget(state(), ctx.params.controllerId!);
    const action = targetAction(state(), target.controllerId, pathId(ctx, 'actionId'));
    if (action.active || action.status === 'canceling' || action.status === 'canceled') return ctx.send(404);
    ctx.send(200, deploymentBase(hb, ctx, target, action), { 'content-type': 'application/hal+json' });
  });

  router.get(`${BASE}/softwaremodules/:smId/artifacts`, (ctx) => {
    if (!guard(ctx)) return;
    const target = getTarget(state(), ctx.params.controllerId!);
    const m = ddiModule(state(), pathId(ctx, 'smId'));
    ctx.send(200, artifactsOf(state(), m).map((a) => ddiArtifact(hb, ctx, target, a)));
  });

  router.get(`${BASE}/softwaremodules/:smId/artifacts/:fileName`, (ctx) => {
    if (!guard(ctx)) return;
    getTarget(state(), ctx.params.controllerId!);
    const m = ddiModule(state(), pathId(ctx, 'smId'));
    const requested = ctx.params.fileName!;
    const md5 = requested.endsWith('.MD5SUM');
    const name = md5 ? requested.slice(0, -'.MD5SUM'.length) : requested;
    const artifact = artifactsOf(state(), m).find((a) => a.filename === name);
    if (!artifact) throw notFound('Artifact', name);
    if (md5) {
      return ctx.send(200, `${artifact.md5}  ${artifact.filename}`, {
        'content-type': 'text/plain', 'content-disposition': `attachment;filename=${encodeURIComponent(artifact.filename)}.MD5SUM`,
      });
    }
    sendArtifact(ctx, hb, artifact);
  });
}

function href(hb: Hb, path: string): { href: string } {
  return { href: `${hb.publicUrl}${path}` };
}

/** The `c` parameter: changes when the action changes or its force time is reached (DataConversionHelper.calculateEtag). */
function etag(a: ActionRec, now: number): number {
  const text = `${a.id}:${a.forceType}:${a.status}:${a.forceTime !== undefined && now >= a.forceTime ? 1231 : 1237}`;
  let h = 0;
  for (const ch of text) h = (Math.imul(31, h) + ch.charCodeAt(0)) | 0;
  return h;
}

function lastInstalled(state: HbState, t: TargetRec): ActionRec | undefined {
  return Object.values(state.actions)
    .filter((a) => a.controllerId === t.controllerId && !a.active && a.status === 'finished' && a.dsId === t.installedDs)
    .sort((a, b) => b.id - a.id)[0];
}

function registerRetrieved(state: HbState, action: ActionRec, now: number, message: string): void {
  if (!action.active) return;
  if (action.history.at(-1)?.type === 'retrieved') return;
  addStatus(state, action, 'retrieved', [message], now);
  if (action.status === 'running') action.status = 'retrieved';
  touch(action, now, action.controllerId);
}

function ddiModule(state: HbState, id: number): ModuleRec {
  const m = lookup(state.modules, id);
  if (!m) throw notFound('SoftwareModule', id);
  return m;
}

function artifactsOf(state: HbState, m: ModuleRec): ArtifactRec[] {
  return m.artifacts.map((id) => lookup(state.artifacts, id)).filter((a): a is ArtifactRec => a !== undefined);
}

function ddiArtifact(hb: Hb, ctx: RequestContext, t: TargetRec, a: ArtifactRec): Record<string, unknown> {
  const path = `/${encodeURIComponent(ctx.params.tenant!)}/controller/v1/${encodeURIComponent(t.controllerId)}/softwaremodules/${a.moduleId}/artifacts/${encodeURIComponent(a.filename)}`;
  const links: Record<string, unknown> = {};
  // Default artifact URL handler: http links always, the https pair when served over TLS.
  if (hb.publicUrl.startsWith('https:')) {
    links.download = href(hb, path);
    links.md5sum = href(hb, `${path}.MD5SUM`);
  }
  links['download-http'] = href(hb, path);
  links['md5sum-http'] = href(hb, `${path}.MD5SUM`);
  return { filename: a.filename, hashes: { sha1: a.sha1, md5: a.md5, sha256: a.sha256 }, size: a.size, _links: links };
}

/** `download`/`update` handling per action type (DdiRootController.calculateDownloadType/UpdateType). */
function handling(a: ActionRec, now: number): { download: string; update: string; maintenanceWindow?: string } {
  const forced = a.forceType === 'forced' || a.forceType === 'downloadonly' || (a.forceType === 'timeforced' && a.forceTime !== undefined && now >= a.forceTime);
  const download = forced ? 'forced' : 'attempt';
  let update = a.forceType === 'downloadonly' ? 'skip' : download;
  if (!a.maintenanceWindow) return { download, update };
  const available = windowAvailable(a.maintenanceWindow, now);
  if (!available) update = 'skip';
  return { download, update, maintenanceWindow: available ? 'available' : 'unavailable' };
}

function deploymentBase(hb: Hb, ctx: RequestContext, t: TargetRec, a: ActionRec): Record<string, unknown> {
  const state = hb.store.state;
  const ds = lookup(state.sets, a.dsId);
  const chunks = (ds?.modules ?? []).map((id) => lookup(state.modules, id)).filter((m): m is ModuleRec => m !== undefined).map((m) => {
    const key = lookup(state.smTypes, m.typeId)?.key ?? '';
    // Legacy chunk names kept by hawkBit for old clients.
    const part = key === 'application' ? 'bApp' : key === 'runtime' ? 'jvm' : key;
    return {
      part, version: m.version, name: m.name, ...(m.encrypted ? { encrypted: true } : {}),
      artifacts: artifactsOf(state, m).map((art) => ddiArtifact(hb, ctx, t, art)),
    };
  });
  const h = handling(a, hb.now());
  const out: Record<string, unknown> = {
    id: String(a.id),
    deployment: { download: h.download, update: h.update, ...(h.maintenanceWindow ? { maintenanceWindow: h.maintenanceWindow } : {}), chunks },
  };
  const n = Number(ctx.query.get('actionHistory') ?? '0');
  if (Number.isInteger(n) && n !== 0) {
    const messages = a.history.flatMap((s) => s.messages);
    out.actionHistory = { status: a.status.toUpperCase(), messages: n < 0 ? messages.reverse() : messages.slice(-n).reverse() };
  }
  return out;
}

/** DdiActionFeedback: `status.execution` and `status.result.finished` are required enums. */
function parseFeedback(body: Record<string, unknown>): Feedback {
  const status = body.status;
  if (!isObject(status)) throw notReadable();
  const execution = (str(status, 'execution', true) ?? '').toLowerCase();
  const result = status.result;
  if (!EXECUTIONS.includes(execution) || !isObject(result)) throw notReadable();
  const finished = (str(result, 'finished', true) ?? '').toLowerCase();
  if (!RESULTS.includes(finished)) throw notReadable();
  const details = status.details;
  if (details !== undefined && details !== null && (!Array.isArray(details) || details.some((d) => typeof d !== 'string'))) throw notReadable();
  const code = num(status, 'code');
  const timestamp = num(body, 'timestamp');
  return {
    execution, finished, details: (details as string[] | undefined | null) ?? [],
    ...(code === undefined ? {} : { code }), ...(timestamp === undefined ? {} : { timestamp }),
  };
}
