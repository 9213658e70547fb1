// Management API: actions per target and globally, their status history, soft cancel / force
// quit (DELETE ?force=) and the switch of a soft/timeforced action to forced (PUT).
import type { Router } from '../kit/router.js';
import { callerOf, link, type Hb } from './context.js';
import { forceQuit, softCancel } from './deployment.js';
import { notFound, notReadable } from './errors.js';
import { actionFields } from './fields.js';
import type { FieldSpec } from './fiql.js';
import { noContent, pathId, readObject, str } from './http.js';
import { paged } from './paging.js';
import { lookup, touch, type ActionRec, type HbState, type StatusEntry } from './state.js';
import { actionView, statusView } from './views.js';

export function actionLink(hb: Hb, a: ActionRec): Record<string, unknown> {
  return { id: a.id, _links: { self: link(hb, `/rest/v1/targets/${encodeURIComponent(a.controllerId)}/actions/${a.id}`) } };
}

const STATUS_FIELDS: FieldSpec<StatusEntry> = {
  fields: { id: (s) => s.id, reportedat: (s) => s.reportedAt, timestamp: (s) => s.timestamp, type: (s) => s.type },
};

function full(hb: Hb, query: URLSearchParams): (a: ActionRec) => Record<string, unknown> {
  const isFull = (query.get('representation') ?? 'compact').toLowerCase() === 'full';
  return (a) => actionView(hb, a, isFull);
}

export function registerActions(router: Router, hb: Hb): void {
  const state = (): HbState => hb.store.state;
  const targetAction = (controllerId: string, actionId: number): ActionRec => {
    if (!lookup(state().targets, controllerId)) throw notFound('Target', controllerId);
    const a = lookup(state().actions, actionId);
    if (!a || a.controllerId !== controllerId) throw notFound('Action', actionId);
    return a;
  };

  router.get('/rest/v1/targets/:controllerId/actions', (ctx) => {
    const cid = ctx.params.controllerId!;
    if (!lookup(state().targets, cid)) throw notFound('Target', cid);
    const mine = Object.values(state().actions).filter((a) => a.controllerId === cid);
    // MgmtTargetResource.getActionHistory has no `representation`: always the compact form.
    ctx.send(200, paged(ctx, mine, actionFields(state()), 'id:DESC', (a) => actionView(hb, a, false)));
  });

  router.get('/rest/v1/targets/:controllerId/actions/:actionId', (ctx) => {
    ctx.send(200, actionView(hb, targetAction(ctx.params.controllerId!, pathId(ctx, 'actionId')), true));
  });

  router.put('/rest/v1/targets/:controllerId/actions/:actionId', async (ctx) => {
    const a = targetAction(ctx.params.controllerId!, pathId(ctx, 'actionId'));
    const body = await readObject(ctx);
    // Only `forced` is accepted: an action can be hurried, never slowed down.
    if ((str(body, 'forceType') ?? '').toLowerCase() !== 'forced') throw notReadable();
    hb.store.update(() => {
      a.forceType = 'forced';
      delete a.forceTime;
      touch(a, hb.now(), callerOf(ctx.req));
    });
    ctx.send(200, actionView(hb, a, true));
  });

  router.delete('/rest/v1/targets/:controllerId/actions/:actionId', (ctx) => {
    const a = targetAction(ctx.params.controllerId!, pathId(ctx, 'actionId'));
    const force = (ctx.query.get('force') ?? 'false').toLowerCase() === 'true';
    hb.store.update((s) => (force ? forceQuit(s, a, hb.now(), callerOf(ctx.req)) : softCancel(s, a, hb.now(), callerOf(ctx.req))));
    hb.onActionsChanged();
    noContent(ctx);
  });

  router.get('/rest/v1/targets/:controllerId/actions/:actionId/status', (ctx) => {
    const a = targetAction(ctx.params.controllerId!, pathId(ctx, 'actionId'));
    ctx.send(200, paged(ctx, a.history, STATUS_FIELDS, 'id:DESC', statusView));
  });

  router.get('/rest/v1/actions', (ctx) => {
    ctx.send(200, paged(ctx, Object.values(state().actions), actionFields(state()), 'id:DESC', full(hb, ctx.query)));
  });

  router.get('/rest/v1/actions/:actionId', (ctx) => {
    const id = pathId(ctx, 'actionId');
    const a = lookup(state().actions, id);
    if (!a) throw notFound('Action', id);
    ctx.send(200, actionView(hb, a, true));
  });
}
