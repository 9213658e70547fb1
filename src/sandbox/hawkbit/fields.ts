// The field enums of each resource (hawkBit's `*Fields` classes): keys accepted by FIQL `q` and
// `sort`, lower-cased. Map fields (`attribute.<key>`) are under `maps`. A few JPA-path aliases
// from docs/entity-definitions.md are accepted too (harmless, per the reference).
import type { FieldSpec } from './fiql.js';
import { lookup, type ActionRec, type DsRec, type DsTypeRec, type FilterRec, type GroupRec, type HbState, type ModuleRec, type RolloutRec, type SmTypeRec, type TagRec, type TargetRec } from './state.js';

type AuditFields = Record<string, (e: { createdAt: number; createdBy: string; lastModifiedAt: number; lastModifiedBy: string }) => unknown>;
const AUDIT: AuditFields = {
  createdat: (e) => e.createdAt, createdby: (e) => e.createdBy, lastmodifiedat: (e) => e.lastModifiedAt, lastmodifiedby: (e) => e.lastModifiedBy,
};

function dsName(state: HbState, id: number | undefined): string | undefined {
  return id === undefined ? undefined : lookup(state.sets, id)?.name;
}
function dsVersion(state: HbState, id: number | undefined): string | undefined {
  return id === undefined ? undefined : lookup(state.sets, id)?.version;
}

export function targetFields(state: HbState): FieldSpec<TargetRec> {
  const tagNames = (t: TargetRec): string[] => t.tags.map((id) => lookup(state.tags, id)?.name).filter((n): n is string => n !== undefined);
  const ip = (t: TargetRec): string | undefined => (t.address ? /^[a-z]+:\/\/\[?([^\]/:]+)/i.exec(t.address)?.[1] ?? t.address : undefined);
  return {
    fields: {
      ...AUDIT,
      id: (t) => t.controllerId, controllerid: (t) => t.controllerId, name: (t) => t.name, description: (t) => t.description,
      updatestatus: (t) => t.updateStatus, ipaddress: ip, address: (t) => t.address,
      tag: tagNames, 'tag.name': tagNames, 'tags.name': tagNames,
      'assignedds.name': (t) => dsName(state, t.assignedDs), 'assignedds.version': (t) => dsVersion(state, t.assignedDs),
      'installedds.name': (t) => dsName(state, t.installedDs), 'installedds.version': (t) => dsVersion(state, t.installedDs),
      'assigneddistributionset.name': (t) => dsName(state, t.assignedDs), 'assigneddistributionset.version': (t) => dsVersion(state, t.assignedDs),
      'installeddistributionset.name': (t) => dsName(state, t.installedDs), 'installeddistributionset.version': (t) => dsVersion(state, t.installedDs),
      lastcontrollerrequestat: (t) => t.lastControllerRequestAt, group: (t) => t.group, autoconfirm: () => false,
    },
    maps: {
      attribute: (t, k) => (Object.hasOwn(t.attributes, k) ? t.attributes[k] : undefined),
      controllerattributes: (t, k) => (Object.hasOwn(t.attributes, k) ? t.attributes[k] : undefined),
      metadata: () => undefined,
    },
  };
}

export function rolloutFields(state: HbState): FieldSpec<RolloutRec> {
  const ds = (r: RolloutRec): DsRec | undefined => lookup(state.sets, r.dsId);
  return {
    fields: {
      ...AUDIT, id: (r) => r.id, name: (r) => r.name, description: (r) => r.description, status: (r) => r.status,
      'distributionset.id': (r) => r.dsId, 'distributionset.name': (r) => ds(r)?.name, 'distributionset.version': (r) => ds(r)?.version,
      'distributionset.type': (r) => { const d = ds(r); return d ? lookup(state.dsTypes, d.typeId)?.key : undefined; },
    },
  };
}

export function groupFields(): FieldSpec<GroupRec> {
  return { fields: { ...AUDIT, id: (g) => g.id, name: (g) => g.name, description: (g) => g.description } };
}

export function actionFields(state: HbState): FieldSpec<ActionRec> {
  const target = (a: ActionRec): TargetRec | undefined => lookup(state.targets, a.controllerId);
  const ds = (a: ActionRec): DsRec | undefined => lookup(state.sets, a.dsId);
  return {
    fields: {
      ...AUDIT, id: (a) => a.id, active: (a) => String(a.active), status: (a) => a.status, detailstatus: (a) => a.status,
      laststatuscode: (a) => a.lastStatusCode, weight: (a) => a.weight,
      'target.controllerid': (a) => a.controllerId, 'target.name': (a) => target(a)?.name,
      'target.updatestatus': (a) => target(a)?.updateStatus, 'target.address': (a) => target(a)?.address,
      'distributionset.id': (a) => a.dsId, 'distributionset.name': (a) => ds(a)?.name, 'distributionset.version': (a) => ds(a)?.version,
      'distributionset.type': (a) => { const d = ds(a); return d ? lookup(state.dsTypes, d.typeId)?.key : undefined; },
      'rollout.id': (a) => a.rolloutId, 'rollout.name': (a) => (a.rolloutId === undefined ? undefined : lookup(state.rollouts, a.rolloutId)?.name),
      'rolloutgroup.id': (a) => a.groupId, 'rolloutgroup.name': (a) => (a.groupId === undefined ? undefined : lookup(state.groups, a.groupId)?.name),
      externalref: () => undefined,
    },
  };
}

export function dsFields(state: HbState): FieldSpec<DsRec> {
  const modules = (d: DsRec): ModuleRec[] => d.modules.map((id) => lookup(state.modules, id)).filter((m): m is ModuleRec => m !== undefined);
  const tags = (d: DsRec): string[] => d.tags.map((id) => lookup(state.tags, id)?.name).filter((n): n is string => n !== undefined);
  return {
    fields: {
      ...AUDIT, id: (d) => d.id, name: (d) => d.name, version: (d) => d.version, description: (d) => d.description,
      type: (d) => lookup(state.dsTypes, d.typeId)?.key, valid: (d) => String(d.valid), locked: (d) => String(d.locked),
      tag: tags, 'tag.name': tags, 'module.id': (d) => d.modules, 'module.name': (d) => modules(d).map((m) => m.name),
    },
    maps: { metadata: () => undefined },
  };
}

export function moduleFields(state: HbState): FieldSpec<ModuleRec> {
  return {
    fields: {
      ...AUDIT, id: (m) => m.id, name: (m) => m.name, version: (m) => m.version, description: (m) => m.description,
      vendor: (m) => m.vendor, type: (m) => lookup(state.smTypes, m.typeId)?.key, 'type.key': (m) => lookup(state.smTypes, m.typeId)?.key,
    },
    maps: { metadata: () => undefined },
  };
}

export function filterFields(state: HbState): FieldSpec<FilterRec> {
  return {
    fields: {
      ...AUDIT, id: (f) => f.id, name: (f) => f.name, query: (f) => f.query,
      'autoassigndistributionset.name': (f) => dsName(state, f.autoAssign?.dsId),
      'autoassigndistributionset.version': (f) => dsVersion(state, f.autoAssign?.dsId),
    },
  };
}

export function typeFields<T extends SmTypeRec | DsTypeRec>(): FieldSpec<T> {
  return { fields: { ...AUDIT, id: (t) => t.id, key: (t) => t.key, name: (t) => t.name, description: (t) => t.description } };
}

export function tagFields(): FieldSpec<TagRec> {
  return { fields: { ...AUDIT, id: (t) => t.id, name: (t) => t.name, description: (t) => t.description, colour: (t) => t.colour } };
}
