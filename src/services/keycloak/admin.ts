// Typed client of the Keycloak admin REST API (`{kc}{rel}/admin/realms`), for bootstrap and for
// the tenant workflows that reuse it. Creation is create-if-absent: every ensure* reads first,
// POSTs only what is missing (201; a 409 from a concurrent creator counts as present) and PUTs
// only what differs (204), so running it twice sends no write the second time. Errors keep
// Keycloak's own message (keycloakError) with service and status.
import { NotFoundError } from '../../core/errors.js';
import type { HttpClient, HttpMethod, HttpResponse } from '../../http/types.js';
import type { AdminSession } from './admin-login.js';
import { keycloakError } from './errors.js';

export type Ensured = 'created' | 'updated' | 'unchanged';

export interface RoleRep { id?: string; name: string; description?: string; composite?: boolean; clientRole?: boolean }
export interface UserRep { id?: string; username: string; email?: string; firstName?: string; lastName?: string; enabled?: boolean; emailVerified?: boolean }
export interface ClientRep {
  id?: string;
  clientId: string;
  name?: string;
  enabled?: boolean;
  publicClient?: boolean;
  secret?: string;
  standardFlowEnabled?: boolean;
  directAccessGrantsEnabled?: boolean;
  serviceAccountsEnabled?: boolean;
  redirectUris?: string[];
  webOrigins?: string[];
  attributes?: Record<string, string>;
  protocolMappers?: Array<Record<string, unknown>>;
}
export interface RealmRep { realm: string; enabled?: boolean; displayName?: string; [key: string]: unknown }

/** Client fields compared to decide whether an existing client is "already right". */
const COMPARED: Array<keyof ClientRep> = ['enabled', 'publicClient', 'standardFlowEnabled', 'directAccessGrantsEnabled', 'serviceAccountsEnabled'];

const missing = (what: string): NotFoundError => new NotFoundError(what, { service: 'keycloak', status: 404 });

const sameSet = (a: readonly string[] = [], b: readonly string[] = []): boolean => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

export class KeycloakAdmin {
  constructor(private readonly http: HttpClient, private readonly session: AdminSession) {}

  private url(path: string): string {
    return `${this.session.baseUrl}/admin/realms${path}`;
  }

  private async call(method: HttpMethod, path: string, json?: unknown, query?: Record<string, string | boolean>): Promise<HttpResponse> {
    const token = await this.session.token();
    return this.http.request({
      service: 'keycloak', method, url: this.url(path), headers: { authorization: `Bearer ${token}` },
      ...(json !== undefined ? { json } : {}), ...(query ? { query } : {}),
    });
  }

  private async get<T>(path: string, what: string, query?: Record<string, string | boolean>): Promise<T | undefined> {
    const res = await this.call('GET', path, undefined, query);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw keycloakError(res, what);
    return res.json<T>();
  }

  /** POST a new resource; 201 is created, 409 means it already exists (created concurrently). */
  private async create(path: string, body: unknown, what: string): Promise<'created' | 'exists'> {
    const res = await this.call('POST', path, body);
    if (res.status === 201 || res.status === 204) return 'created';
    if (res.status === 409) return 'exists';
    throw keycloakError(res, what);
  }

  private async put(path: string, body: unknown, what: string): Promise<void> {
    const res = await this.call('PUT', path, body);
    if (res.status !== 204 && res.status !== 200) throw keycloakError(res, what);
  }

  private static r(realm: string): string {
    return `/${encodeURIComponent(realm)}`;
  }

  realm(name: string): Promise<RealmRep | undefined> {
    return this.get<RealmRep>(KeycloakAdmin.r(name), `read realm ${name}`);
  }

  /** Creates the realm when absent; updates the given top-level settings that differ. */
  async ensureRealm(rep: RealmRep): Promise<Ensured> {
    const existing = await this.realm(rep.realm);
    if (!existing) {
      return (await this.create('', rep, `create realm ${rep.realm}`)) === 'created' ? 'created' : 'unchanged';
    }
    const drift = Object.entries(rep).filter(([k, v]) => JSON.stringify(existing[k]) !== JSON.stringify(v));
    if (drift.length === 0) return 'unchanged';
    await this.put(KeycloakAdmin.r(rep.realm), Object.fromEntries(drift), `update realm ${rep.realm}`);
    return 'updated';
  }

  realmRole(realm: string, name: string): Promise<RoleRep | undefined> {
    return this.get<RoleRep>(`${KeycloakAdmin.r(realm)}/roles/${encodeURIComponent(name)}`, `read role ${name}`);
  }

  async ensureRealmRole(realm: string, role: RoleRep): Promise<Ensured> {
    if (await this.realmRole(realm, role.name)) return 'unchanged';
    return (await this.create(`${KeycloakAdmin.r(realm)}/roles`, role, `create role ${role.name} in realm ${realm}`)) === 'created' ? 'created' : 'unchanged';
  }

  async client(realm: string, clientId: string): Promise<ClientRep | undefined> {
    const list = await this.get<ClientRep[]>(`${KeycloakAdmin.r(realm)}/clients`, `find client ${clientId}`, { clientId });
    return list?.find((c) => c.clientId === clientId);
  }

  async clientSecret(realm: string, id: string): Promise<string | undefined> {
    const cred = await this.get<{ value?: string }>(`${KeycloakAdmin.r(realm)}/clients/${id}/client-secret`, 'read client secret');
    return cred?.value;
  }

  /**
   * Creates the client when absent. An existing one is updated when a compared flag, its redirect
   * URIs, a given attribute or (confidential clients) its secret differs; mappers are only set at creation.
   */
  async ensureClient(realm: string, rep: ClientRep): Promise<Ensured> {
    const existing = await this.client(realm, rep.clientId);
    if (!existing) {
      return (await this.create(`${KeycloakAdmin.r(realm)}/clients`, rep, `create client ${rep.clientId} in realm ${realm}`)) === 'created' ? 'created' : 'unchanged';
    }
    const flagsDiffer = COMPARED.some((k) => rep[k] !== undefined && existing[k] !== rep[k]);
    const urisDiffer = rep.redirectUris !== undefined && !sameSet(rep.redirectUris, existing.redirectUris);
    const attrsDiffer = Object.entries(rep.attributes ?? {}).some(([k, v]) => existing.attributes?.[k] !== v);
    const secretDiffers = rep.secret !== undefined && !rep.publicClient && (await this.clientSecret(realm, existing.id!)) !== rep.secret;
    if (!flagsDiffer && !urisDiffer && !attrsDiffer && !secretDiffers) return 'unchanged';
    const { protocolMappers: _mappers, ...update } = rep;
    await this.put(`${KeycloakAdmin.r(realm)}/clients/${existing.id}`, { ...existing, ...update, attributes: { ...existing.attributes, ...rep.attributes } }, `update client ${rep.clientId}`);
    return 'updated';
  }

  async serviceAccountUser(realm: string, clientUuid: string): Promise<UserRep> {
    const user = await this.get<UserRep>(`${KeycloakAdmin.r(realm)}/clients/${clientUuid}/service-account-user`, 'read service-account user');
    if (!user) throw missing(`client ${clientUuid} has no service account`);
    return user;
  }

  async user(realm: string, username: string): Promise<UserRep | undefined> {
    const list = await this.get<UserRep[]>(`${KeycloakAdmin.r(realm)}/users`, `find user ${username}`, { username, exact: true });
    return list?.find((u) => u.username === username);
  }

  /** Creates the user (with a non-temporary password) when absent. */
  async ensureUser(realm: string, rep: UserRep, password: string): Promise<Ensured> {
    if (await this.user(realm, rep.username)) return 'unchanged';
    const body = { enabled: true, emailVerified: true, ...rep, credentials: [{ type: 'password', value: password, temporary: false }] };
    return (await this.create(`${KeycloakAdmin.r(realm)}/users`, body, `create user ${rep.username} in realm ${realm}`)) === 'created' ? 'created' : 'unchanged';
  }

  async resetPassword(realm: string, userId: string, password: string): Promise<void> {
    await this.put(`${KeycloakAdmin.r(realm)}/users/${userId}/reset-password`, { type: 'password', value: password, temporary: false }, 'reset password');
  }

  /** Maps the realm roles the user lacks (direct mappings); returns 'unchanged' if it has them all. */
  async ensureUserRealmRoles(realm: string, userId: string, names: readonly string[]): Promise<Ensured> {
    const path = `${KeycloakAdmin.r(realm)}/users/${userId}/role-mappings/realm`;
    const have = new Set(((await this.get<RoleRep[]>(path, 'read role mappings')) ?? []).map((r) => r.name));
    const lacking = names.filter((n) => !have.has(n));
    if (lacking.length === 0) return 'unchanged';
    const reps = await Promise.all(lacking.map(async (n) => {
      const role = await this.realmRole(realm, n);
      if (!role) throw missing(`realm ${realm} has no role ${n}`);
      return { id: role.id, name: role.name };
    }));
    const res = await this.call('POST', path, reps);
    if (res.status !== 204 && res.status !== 200) throw keycloakError(res, `map realm roles ${lacking.join(', ')}`);
    return 'updated';
  }

  /** Maps roles of another client (e.g. realm-management's realm-admin) the user lacks. */
  async ensureUserClientRoles(realm: string, userId: string, clientId: string, names: readonly string[]): Promise<Ensured> {
    const target = await this.client(realm, clientId);
    if (!target?.id) throw missing(`realm ${realm} has no client ${clientId}`);
    const path = `${KeycloakAdmin.r(realm)}/users/${userId}/role-mappings/clients/${target.id}`;
    const have = new Set(((await this.get<RoleRep[]>(path, 'read client role mappings')) ?? []).map((r) => r.name));
    const lacking = names.filter((n) => !have.has(n));
    if (lacking.length === 0) return 'unchanged';
    const reps = await Promise.all(lacking.map(async (n) => {
      const role = await this.get<RoleRep>(`${KeycloakAdmin.r(realm)}/clients/${target.id}/roles/${encodeURIComponent(n)}`, `read role ${clientId}/${n}`);
      if (!role) throw missing(`client ${clientId} has no role ${n}`);
      return { id: role.id, name: role.name };
    }));
    const res = await this.call('POST', path, reps);
    if (res.status !== 204 && res.status !== 200) throw keycloakError(res, `map ${clientId} roles ${lacking.join(', ')}`);
    return 'updated';
  }
}
