// `cdm tenant logout-all [--realm <r>]` (severe incident verb): every user session of the realm is
// removed and the realm's not-before moves, so every refresh token issued before fails.
import type { Factory } from '../../core/factory.js';
import type { Plan } from '../../core/command-spec.js';
import { UsageError } from '../../core/errors.js';
import { incidentAdmin, logoutAll } from '../../services/keycloak/sessions.js';

export interface LogoutAllReport {
  realm: string;
  context: string;
  via: string;
  at: string;
  successRequests: string[];
  failedRequests: string[];
}

export async function logoutRealm(f: Factory, realm: string | undefined): Promise<string> {
  const ctx = await f.context();
  const r = realm ?? ctx.keycloak?.realm;
  if (!r) throw new UsageError(`context "${ctx.name}" names no Keycloak realm`, { hint: 'pass --realm <realm>' });
  return r;
}

export async function planLogoutAll(f: Factory, realm: string): Promise<Plan> {
  const ctx = await f.context();
  return {
    summary: `log out every session of Keycloak realm ${realm}: refresh tokens issued before now stop working`,
    steps: [{ action: 'logout-all', target: `realm ${realm}`, service: `keycloak (${ctx.keycloak?.url ?? 'no URL'})`, details: { request: `POST /admin/realms/${realm}/logout-all` } }],
  };
}

export async function runLogoutAll(f: Factory, realm: string): Promise<LogoutAllReport> {
  const a = await incidentAdmin(f);
  const r = await logoutAll(a, realm);
  return { realm, context: a.context, via: a.via, at: new Date(f.clock()).toISOString(), ...r };
}
