// /admin/realms/{r}/identity-provider/instances (+ mappers): brokering configuration as the tenant
// realm's JOIN step writes it. Client secrets are masked in every answer and a PUT that sends the mask
// back keeps the stored secret, as Keycloak does.
import { randomUUID } from 'node:crypto';
import type { Router } from '../kit/router.js';
import { adminUrl, paginate, PERMS, readJsonObject, requirePerm } from './admin-auth.js';
import { inRealm } from './admin-route.js';
import type { Kc } from './context.js';
import { conflict, errorMessage, notFound } from './errors.js';
import { recordAdminEvent } from './events.js';
import { idpRep, SECRET_MASK } from './representations.js';
import type { IdpMapperRec, IdpRec, RealmRec } from './state.js';

const DEFAULTS = {
  enabled: true, updateProfileFirstLoginMode: 'on', trustEmail: false, storeToken: false, addReadTokenRoleOnCreate: false,
  authenticateByDefault: false, linkOnly: false, hideOnLogin: false, firstBrokerLoginFlowAlias: 'first broker login',
};

function findIdp(realm: RealmRec, alias: string | undefined): IdpRec {
  const idp = realm.idps.find((i) => i.alias === alias);
  if (!idp) throw notFound('Could not find identity provider');
  return idp;
}

function maskedRep(rep: Record<string, unknown>): Record<string, unknown> {
  const config = rep['config'] as Record<string, unknown> | undefined;
  return config?.['clientSecret'] === undefined ? rep : { ...rep, config: { ...config, clientSecret: SECRET_MASK } };
}

function configOf(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null) return {};
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, String(x)]));
}

/** Creates an IdP from a representation (admin create and realm import). */
export function addIdp(realm: RealmRec, rep: Record<string, unknown>): IdpRec {
  const alias = typeof rep['alias'] === 'string' ? rep['alias'] : '';
  if (!alias) throw errorMessage(400, 'Identity Provider alias is missing');
  if (typeof rep['providerId'] !== 'string' || !rep['providerId']) throw errorMessage(400, 'Invalid identity provider');
  if (realm.idps.some((i) => i.alias === alias)) throw conflict(`Identity Provider ${alias} already exists`);
  const idp: IdpRec = { internalId: randomUUID(), alias, rep: { ...DEFAULTS, ...rep, config: configOf(rep['config']) } };
  delete idp.rep['internalId'];
  realm.idps.push(idp);
  return idp;
}

export function registerIdpRoutes(router: Router, kc: Kc): void {
  const base = '/admin/realms/:realm/identity-provider/instances';

  router.get(base, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewIdps);
    const search = ctx.query.get('search')?.toLowerCase();
    const hits = realm.idps.filter((i) => !search || i.alias.toLowerCase().includes(search.replace(/\*/g, '')));
    ctx.send(200, paginate(hits, ctx.query).map(idpRep));
  }));

  router.post(base, inRealm(kc, async (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageIdps);
    const rep = await readJsonObject(ctx);
    const idp = kc.store.update(() => {
      const created = addIdp(realm, rep);
      recordAdminEvent(realm, kc.now(), auth.actor, 'CREATE', 'IDENTITY_PROVIDER', `identity-provider/instances/${created.alias}`, maskedRep(rep));
      return created;
    });
    ctx.send(201, undefined, { location: adminUrl(kc, realm.name, 'identity-provider', 'instances', idp.alias) });
  }));

  router.get(`${base}/:alias`, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewIdps);
    ctx.send(200, idpRep(findIdp(realm, ctx.params['alias'])));
  }));

  router.put(`${base}/:alias`, inRealm(kc, async (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageIdps);
    const idp = findIdp(realm, ctx.params['alias']);
    const rep = await readJsonObject(ctx);
    const newAlias = typeof rep['alias'] === 'string' && rep['alias'] ? rep['alias'] : idp.alias;
    if (newAlias !== idp.alias && realm.idps.some((i) => i.alias === newAlias)) throw conflict(`Identity Provider ${newAlias} already exists`);
    kc.store.update(() => {
      const oldConfig = (idp.rep['config'] as Record<string, string> | undefined) ?? {};
      const config = configOf(rep['config'] ?? oldConfig);
      if (config['clientSecret'] === SECRET_MASK && oldConfig['clientSecret'] !== undefined) config['clientSecret'] = oldConfig['clientSecret'];
      const rest = { ...rep };
      delete rest['internalId']; // server-assigned, never taken from the client
      idp.rep = { ...idp.rep, ...rest, alias: newAlias, config };
      for (const m of realm.idpMappers.filter((x) => x.identityProviderAlias === idp.alias)) m.identityProviderAlias = newAlias;
      idp.alias = newAlias;
      recordAdminEvent(realm, kc.now(), auth.actor, 'UPDATE', 'IDENTITY_PROVIDER', `identity-provider/instances/${ctx.params['alias']}`, maskedRep(rep));
    });
    ctx.send(204);
  }));

  router.delete(`${base}/:alias`, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageIdps);
    const idp = findIdp(realm, ctx.params['alias']);
    kc.store.update(() => {
      realm.idps = realm.idps.filter((i) => i.alias !== idp.alias);
      realm.idpMappers = realm.idpMappers.filter((m) => m.identityProviderAlias !== idp.alias);
      recordAdminEvent(realm, kc.now(), auth.actor, 'DELETE', 'IDENTITY_PROVIDER', `identity-provider/instances/${idp.alias}`);
    });
    ctx.send(204);
  }));

  const mappers = `${base}/:alias/mappers`;
  const findMapper = (realm: RealmRec, alias: string, id: string | undefined): IdpMapperRec => {
    const m = realm.idpMappers.find((x) => x.identityProviderAlias === alias && x.id === id);
    if (!m) throw notFound('Model not found');
    return m;
  };

  router.get(mappers, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewIdps);
    const idp = findIdp(realm, ctx.params['alias']);
    ctx.send(200, realm.idpMappers.filter((m) => m.identityProviderAlias === idp.alias));
  }));

  router.post(mappers, inRealm(kc, async (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageIdps);
    const idp = findIdp(realm, ctx.params['alias']);
    const rep = await readJsonObject(ctx);
    const name = typeof rep['name'] === 'string' ? rep['name'] : '';
    if (!name || typeof rep['identityProviderMapper'] !== 'string') throw errorMessage(400, 'Invalid mapper');
    if (realm.idpMappers.some((m) => m.identityProviderAlias === idp.alias && m.name === name)) {
      throw conflict(`Mapper name ${name} already used.`);
    }
    const mapper: IdpMapperRec = { id: randomUUID(), name, identityProviderAlias: idp.alias, identityProviderMapper: rep['identityProviderMapper'], config: configOf(rep['config']) };
    kc.store.update(() => {
      realm.idpMappers.push(mapper);
      recordAdminEvent(realm, kc.now(), auth.actor, 'CREATE', 'IDENTITY_PROVIDER_MAPPER', `identity-provider/instances/${idp.alias}/mappers/${mapper.id}`, rep);
    });
    ctx.send(201, undefined, { location: adminUrl(kc, realm.name, 'identity-provider', 'instances', idp.alias, 'mappers', mapper.id) });
  }));

  router.get(`${mappers}/:id`, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.viewIdps);
    const idp = findIdp(realm, ctx.params['alias']);
    ctx.send(200, findMapper(realm, idp.alias, ctx.params['id']));
  }));

  router.put(`${mappers}/:id`, inRealm(kc, async (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageIdps);
    const idp = findIdp(realm, ctx.params['alias']);
    const m = findMapper(realm, idp.alias, ctx.params['id']);
    const rep = await readJsonObject(ctx);
    kc.store.update(() => {
      if (typeof rep['name'] === 'string') m.name = rep['name'];
      if (typeof rep['identityProviderMapper'] === 'string') m.identityProviderMapper = rep['identityProviderMapper'];
      if (rep['config'] !== undefined) m.config = configOf(rep['config']);
      recordAdminEvent(realm, kc.now(), auth.actor, 'UPDATE', 'IDENTITY_PROVIDER_MAPPER', `identity-provider/instances/${idp.alias}/mappers/${m.id}`, rep);
    });
    ctx.send(204);
  }));

  router.delete(`${mappers}/:id`, inRealm(kc, (ctx, auth, realm) => {
    requirePerm(auth, realm, PERMS.manageIdps);
    const idp = findIdp(realm, ctx.params['alias']);
    const m = findMapper(realm, idp.alias, ctx.params['id']);
    kc.store.update(() => {
      realm.idpMappers = realm.idpMappers.filter((x) => x.id !== m.id);
      recordAdminEvent(realm, kc.now(), auth.actor, 'DELETE', 'IDENTITY_PROVIDER_MAPPER', `identity-provider/instances/${idp.alias}/mappers/${m.id}`);
    });
    ctx.send(204);
  }));
}
