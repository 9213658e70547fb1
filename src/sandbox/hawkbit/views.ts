// JSON representations of the Management API (hawkBit 1.x field names, HAL `_links`).
// ≤0.9 differences: actions carried `status` pending|finished plus `detailStatus`, no `active`.
import { link, type Hb } from './context.js';
import { lookup, type ActionRec, type ArtifactRec, type DsRec, type DsTypeRec, type FilterRec, type HbState, type ModuleRec, type SmTypeRec, type StatusEntry, type TagRec, type TargetRec } from './state.js';
import { isComplete } from './deployment.js';

type Json = Record<string, unknown>;

function auditOf(r: { createdAt: number; createdBy: string; lastModifiedAt: number; lastModifiedBy: string }): Json {
  return { createdBy: r.createdBy, createdAt: r.createdAt, lastModifiedBy: r.lastModifiedBy, lastModifiedAt: r.lastModifiedAt };
}

/** Seconds of an `HH:mm:ss` polling time. */
export function pollSeconds(text: string): number {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : 60;
}

export function targetView(hb: Hb, t: TargetRec, full: boolean): Json {
  const state = hb.store.state;
  const base = `/rest/v1/targets/${encodeURIComponent(t.controllerId)}`;
  const out: Json = {
    controllerId: t.controllerId, name: t.name, ...(t.description === undefined ? {} : { description: t.description }),
    updateStatus: t.updateStatus, securityToken: t.securityToken, requestAttributes: t.requestAttributes,
    autoConfirmActive: false, ...auditOf(t),
  };
  if (t.lastControllerRequestAt !== undefined) {
    out.lastControllerRequestAt = t.lastControllerRequestAt;
    const next = t.lastControllerRequestAt + pollSeconds(state.config.pollingTime) * 1000;
    out.pollStatus = { lastRequestAt: t.lastControllerRequestAt, nextExpectedRequestAt: next, overdue: hb.now() > next };
  }
  if (t.installedAt !== undefined) out.installedAt = t.installedAt;
  if (t.address !== undefined) {
    out.address = t.address;
    const host = /^[a-z]+:\/\/\[?([^\]/:]+)/i.exec(t.address);
    if (host) out.ipAddress = host[1];
  }
  if (t.group !== undefined) out.group = t.group;
  const links: Json = { self: link(hb, base) };
  if (full) {
    Object.assign(links, {
      assignedDS: link(hb, `${base}/assignedDS`), installedDS: link(hb, `${base}/installedDS`),
      attributes: link(hb, `${base}/attributes`), actions: link(hb, `${base}/actions?offset=0&limit=50&sort=id%3ADESC`),
      metadata: link(hb, `${base}/metadata?offset=0&limit=50`), autoConfirm: link(hb, `${base}/autoConfirm`),
    });
  }
  out._links = links;
  return out;
}

export function smTypeView(hb: Hb, t: SmTypeRec): Json {
  return {
    id: t.id, key: t.key, name: t.name, ...(t.description === undefined ? {} : { description: t.description }),
    ...(t.colour === undefined ? {} : { colour: t.colour }), maxAssignments: t.maxAssignments, deleted: t.deleted, ...auditOf(t),
    _links: { self: link(hb, `/rest/v1/softwaremoduletypes/${t.id}`) },
  };
}

export function dsTypeView(hb: Hb, t: DsTypeRec): Json {
  const base = `/rest/v1/distributionsettypes/${t.id}`;
  return {
    id: t.id, key: t.key, name: t.name, ...(t.description === undefined ? {} : { description: t.description }),
    ...(t.colour === undefined ? {} : { colour: t.colour }), deleted: t.deleted, ...auditOf(t),
    _links: { self: link(hb, base), mandatorymodules: link(hb, `${base}/mandatorymoduletypes`), optionalmodules: link(hb, `${base}/optionalmoduletypes`) },
  };
}

export function moduleView(hb: Hb, m: ModuleRec): Json {
  const type = lookup(hb.store.state.smTypes, m.typeId);
  const base = `/rest/v1/softwaremodules/${m.id}`;
  return {
    id: m.id, name: m.name, version: m.version, type: type?.key, typeName: type?.name,
    ...(m.description === undefined ? {} : { description: m.description }), ...(m.vendor === undefined ? {} : { vendor: m.vendor }),
    encrypted: m.encrypted, locked: m.locked, deleted: m.deleted, ...auditOf(m),
    _links: {
      self: link(hb, base), artifacts: link(hb, `${base}/artifacts`), type: link(hb, `/rest/v1/softwaremoduletypes/${m.typeId}`),
      metadata: link(hb, `${base}/metadata?offset=0&limit=50`),
    },
  };
}

export function artifactView(hb: Hb, a: ArtifactRec): Json {
  const base = `/rest/v1/softwaremodules/${a.moduleId}/artifacts/${a.id}`;
  return {
    id: a.id, providedFilename: a.filename, size: a.size, hashes: { sha1: a.sha1, md5: a.md5, sha256: a.sha256 }, ...auditOf(a),
    _links: { self: link(hb, base), download: link(hb, `${base}/download`) },
  };
}

export function dsView(hb: Hb, d: DsRec): Json {
  const state = hb.store.state;
  const type = lookup(state.dsTypes, d.typeId);
  const base = `/rest/v1/distributionsets/${d.id}`;
  return {
    id: d.id, name: d.name, version: d.version, ...(d.description === undefined ? {} : { description: d.description }),
    type: type?.key, typeName: type?.name, complete: isComplete(state, d), locked: d.locked, deleted: d.deleted, valid: d.valid,
    requiredMigrationStep: d.requiredMigrationStep,
    modules: d.modules.map((id) => lookup(state.modules, id)).filter((m): m is ModuleRec => m !== undefined).map((m) => moduleView(hb, m)),
    ...auditOf(d),
    _links: {
      self: link(hb, base), modules: link(hb, `${base}/assignedSM?offset=0&limit=50`), type: link(hb, `/rest/v1/distributionsettypes/${d.typeId}`),
      metadata: link(hb, `${base}/metadata?offset=0&limit=50`),
    },
  };
}

export function tagView(hb: Hb, t: TagRec): Json {
  return {
    id: t.id, name: t.name, ...(t.description === undefined ? {} : { description: t.description }), ...(t.colour === undefined ? {} : { colour: t.colour }),
    ...auditOf(t), _links: { self: link(hb, `/rest/v1/targettags/${t.id}`), assignedTargets: link(hb, `/rest/v1/targettags/${t.id}/assigned?offset=0&limit=50`) },
  };
}

export function filterView(hb: Hb, f: FilterRec): Json {
  return {
    id: f.id, name: f.name, query: f.query,
    ...(f.autoAssign ? {
      autoAssignDistributionSet: f.autoAssign.dsId, autoAssignActionType: f.autoAssign.type,
      ...(f.autoAssign.weight === undefined ? {} : { autoAssignWeight: f.autoAssign.weight }),
      ...(f.autoAssign.confirmationRequired === undefined ? {} : { confirmationRequired: f.autoAssign.confirmationRequired }),
    } : {}),
    ...auditOf(f),
    _links: { self: link(hb, `/rest/v1/targetfilters/${f.id}`), autoAssignDS: link(hb, `/rest/v1/targetfilters/${f.id}/autoAssignDS`) },
  };
}

/** MgmtAction (1.x): `type` update|cancel, `active`, detailed `status`. */
export function actionView(hb: Hb, a: ActionRec, full: boolean): Json {
  const state: HbState = hb.store.state;
  const base = `/rest/v1/targets/${encodeURIComponent(a.controllerId)}/actions/${a.id}`;
  const rollout = a.rolloutId === undefined ? undefined : lookup(state.rollouts, a.rolloutId);
  const out: Json = {
    id: a.id, type: a.status === 'canceling' || a.status === 'canceled' ? 'cancel' : 'update', active: a.active, status: a.status,
    forceType: a.forceType, ...(a.forceTime === undefined ? {} : { forceTime: a.forceTime }),
    ...(a.weight === undefined ? {} : { weight: a.weight }),
    ...(rollout ? { rollout: rollout.id, rolloutName: rollout.name } : {}),
    ...(a.lastStatusCode === undefined ? {} : { lastStatusCode: a.lastStatusCode }),
    ...(a.maintenanceWindow ? { maintenanceWindow: a.maintenanceWindow } : {}),
    ...auditOf(a),
  };
  const links: Json = { self: link(hb, base) };
  if (full) {
    const ds = lookup(state.sets, a.dsId);
    // MgmtTargetMapper: the link names the target by its name (a display name), not its controllerId.
    links.target = link(hb, `/rest/v1/targets/${encodeURIComponent(a.controllerId)}`, lookup(state.targets, a.controllerId)?.name ?? a.controllerId);
    links.distributionset = link(hb, `/rest/v1/distributionsets/${a.dsId}`, ds ? `${ds.name}:${ds.version}` : undefined);
    links.status = link(hb, `${base}/status?offset=0&limit=50&sort=id%3ADESC`);
    if (rollout) links.rollout = link(hb, `/rest/v1/rollouts/${rollout.id}`, rollout.name);
  }
  out._links = links;
  return out;
}

export function statusView(s: StatusEntry): Json {
  return { id: s.id, type: s.type, messages: s.messages, reportedAt: s.reportedAt, timestamp: s.timestamp, ...(s.code === undefined ? {} : { code: s.code }) };
}
