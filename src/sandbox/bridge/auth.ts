// Bearer-token checks. Upstream checks nothing on most routes and, on `prepare`, asks Keycloak's
// userinfo endpoint and then trusts unverified role claims (cdm-platform.md §2.2, §10.1 #1–#3).
// `prepare` asks userinfo here too (its refusals are Keycloak's: no `openid` scope, another realm,
// an ended session); every other route verifies the token itself: signature against the realm's
// JWKS (fetched through its discovery document), issuer, expiry, access-token type. Then the roles
// in realm_access.roles (or a flat `roles` claim, as upstream's fallback).
import { createLocalJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { httpError, UnreachableError } from './errors.js';
import { HttpClient } from './http-client.js';
import type { RequestContext } from '../kit/router.js';

export const ADMIN_ROLES = ['cdm-admin', 'platform-admin'];
export const TENANT_WRITE_ROLES = ['cdm-admin', 'cdm-operator'];
export const TENANT_READ_ROLES = ['cdm-admin', 'cdm-operator', 'cdm-viewer'];

export interface Caller {
  /** preferred_username, else the client (service accounts), else sub. */
  name: string;
  sub: string;
  roles: string[];
}

interface RealmKeys { issuer: string; jwksUri: string; keys: ReturnType<typeof createLocalJWKSet>; fetchedAt: number }

/** Refetch the JWKS for an unknown `kid` at most this often (Keycloak rotates rarely). */
const REFETCH_MS = 5_000;
/** Verified tokens remembered (a bulk enrollment sends one token thousands of times). */
const VERIFIED_CACHE_SIZE = 256;

export class TokenVerifier {
  private readonly http: HttpClient;
  private cached: RealmKeys | undefined;
  /** token → its payload, verified against `keys`; the time claims are checked again on every use. */
  private readonly verified = new Map<string, { payload: JWTPayload; keys: RealmKeys }>();

  constructor(keycloakUrl: string, readonly realm: string, private readonly now: () => number) {
    this.http = new HttpClient('Keycloak', keycloakUrl);
  }

  /** The realm's issuer as its discovery document states it (public URL, as with KC_HOSTNAME). */
  async issuer(): Promise<string> {
    return (await this.load(false)).issuer;
  }

  /** Checks the Authorization header and the roles; throws the 401/403 the route answers with. */
  async require(ctx: RequestContext, roles: string[]): Promise<Caller> {
    const header = ctx.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw httpError(401, 'Authentication required');
    const token = m[1]!;
    let unverified: JWTPayload;
    try { unverified = decodeJwt(token); } catch { throw httpError(401, 'Malformed token'); }
    const keys = await this.load(false);
    // A well-formed token of another realm or server authenticates someone, just not here.
    if (unverified.iss !== keys.issuer) throw httpError(403, `Access denied – token was not issued by the '${this.realm}' realm`);
    const payload = await this.verify(token, keys);
    if (payload['typ'] !== undefined && payload['typ'] !== 'Bearer') throw httpError(401, 'Invalid or expired token');
    const held = rolesOf(payload);
    if (!held.some((r) => roles.includes(r))) {
      throw httpError(403, `Access denied – ${roles.join(' or ')} role required`);
    }
    return callerOf(payload, held);
  }

  /**
   * `prepare`'s check (upstream `_require_cdm_admin`): Keycloak's userinfo endpoint of the realm
   * must accept the token, then the roles are read from its payload. So a token Keycloak would not
   * answer userinfo for (no `openid` scope, another realm, a logged-out session) is 401 `Invalid or
   * expired token`, as upstream.
   */
  async requireUserinfo(ctx: RequestContext, roles: string[]): Promise<Caller> {
    const header = ctx.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw httpError(401, 'Authentication required');
    let info;
    try {
      info = await this.http.call('GET', `/realms/${encodeURIComponent(this.realm)}/protocol/openid-connect/userinfo`, { headers: { authorization: `Bearer ${m[1]!}` } });
    } catch (err) {
      if (err instanceof UnreachableError) throw httpError(503, `Keycloak unreachable: ${err.message}`);
      throw err;
    }
    if (info.status < 200 || info.status >= 300) throw httpError(401, 'Invalid or expired token');
    let payload: JWTPayload;
    try { payload = decodeJwt(m[1]!); } catch { throw httpError(401, 'Malformed token'); }
    const held = rolesOf(payload);
    if (!held.some((r) => roles.includes(r))) throw httpError(403, `Access denied – ${roles.join(' or ')} role required`);
    return callerOf(payload, held);
  }

  private async verify(token: string, keys: RealmKeys): Promise<JWTPayload> {
    const hit = this.verified.get(token);
    if (hit && hit.keys === keys && timely(hit.payload, this.now())) return hit.payload;
    const attempt = async (k: RealmKeys): Promise<JWTPayload> => {
      const { payload } = await jwtVerify(token, k.keys, { issuer: k.issuer, currentDate: new Date(this.now()) });
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
      this.verified.set(token, { payload, keys: k });
      return payload;
    };
    try {
      return await attempt(keys);
    } catch (err) {
      if (err instanceof joseErrors.JWKSNoMatchingKey && this.now() - keys.fetchedAt > REFETCH_MS) {
        try { return await attempt(await this.load(true)); } catch { /* answered below */ }
      }
      throw httpError(401, 'Invalid or expired token');
    }
  }

  private async load(force: boolean): Promise<RealmKeys> {
    if (this.cached && !force) return this.cached;
    try {
      const disc = await this.http.call('GET', `/realms/${encodeURIComponent(this.realm)}/.well-known/openid-configuration`);
      const d = disc.json as { issuer?: unknown; jwks_uri?: unknown } | undefined;
      if (disc.status !== 200 || typeof d?.issuer !== 'string' || typeof d.jwks_uri !== 'string') {
        throw httpError(503, `Keycloak realm '${this.realm}' discovery failed: HTTP ${disc.status}`);
      }
      // jwks_uri carries the public host; the JWKS is read through the configured (internal) URL.
      const jwksPath = new URL(d.jwks_uri).pathname;
      const base = new URL(this.http.baseUrl).pathname.replace(/\/+$/, '');
      const jwks = await this.http.call('GET', jwksPath.startsWith(base) ? jwksPath.slice(base.length) : jwksPath);
      if (jwks.status !== 200 || !Array.isArray((jwks.json as JSONWebKeySet | undefined)?.keys)) {
        throw httpError(503, `Keycloak realm '${this.realm}' JWKS unavailable: HTTP ${jwks.status}`);
      }
      this.cached = { issuer: d.issuer, jwksUri: d.jwks_uri, keys: createLocalJWKSet(jwks.json as JSONWebKeySet), fetchedAt: this.now() };
      return this.cached;
    } catch (err) {
      if (err instanceof UnreachableError) throw httpError(503, `Keycloak unreachable: ${err.message}`);
      throw err;
    }
  }

  close(): void {
    this.http.close();
  }
}

/** jose's exp/nbf checks (no clock tolerance), for a token whose signature was verified before. */
function timely(p: JWTPayload, nowMs: number): boolean {
  const now = Math.floor(nowMs / 1000);
  return (p.exp === undefined || p.exp > now) && (p.nbf === undefined || p.nbf <= now);
}

/** preferred_username, else the client (service accounts), else sub. */
function callerOf(p: JWTPayload, roles: string[]): Caller {
  const name = [p['preferred_username'], p['azp'], p.sub].find((v) => typeof v === 'string' && v) as string | undefined;
  return { name: name ?? 'unknown', sub: p.sub ?? '', roles };
}

function rolesOf(p: JWTPayload): string[] {
  const ra = p['realm_access'] as { roles?: unknown } | undefined;
  const list = Array.isArray(ra?.roles) ? ra.roles : Array.isArray(p['roles']) ? p['roles'] : [];
  return list.filter((r): r is string => typeof r === 'string');
}
