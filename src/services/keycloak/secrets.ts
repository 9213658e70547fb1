// Client-secret rotation at the Keycloak admin API (reference §1.3): list a realm's confidential
// clients, regenerate one secret (`POST /clients/{uuid}/client-secret`, which answers the new
// CredentialRepresentation), and put a new secret into an identity provider's config (`PUT
// /identity-provider/instances/{alias}`; Keycloak masks the stored secret on read, so the rest of
// the representation is sent back as read with only clientSecret replaced).
import { BackendError } from '../../core/errors.js';
import type { ClientRep } from './admin.js';
import { keycloakError } from './errors.js';
import { adminCall, type IncidentAdmin } from './sessions.js';

type Access = Pick<IncidentAdmin, 'http' | 'session'>;

/** Confidential clients of the realm (bearer-only and public ones have no secret to rotate). */
export async function confidentialClients(a: Access, realm: string): Promise<ClientRep[]> {
  const res = await adminCall(a, 'GET', realm, '/clients');
  if (res.status !== 200) throw keycloakError(res, `list the clients of realm ${realm}`);
  return res.json<Array<ClientRep & { bearerOnly?: boolean; clientAuthenticatorType?: string }>>()
    .filter((c) => c.publicClient !== true && c.bearerOnly !== true && (c.clientAuthenticatorType ?? 'client-secret') === 'client-secret');
}

/**
 * Regenerates the client's secret; returns the new value (never log or print it). The answer is
 * read as a stream so that `--verbose` traces, which print buffered bodies, never carry it
 * (Keycloak's `{"type":"secret","value":…}` has no field name the redactor knows as secret).
 */
export async function regenerateSecret(a: Access, realm: string, client: ClientRep): Promise<string> {
  const res = await a.http.stream({
    service: 'keycloak', method: 'POST', idempotent: false,
    url: `${a.session.baseUrl}/admin/realms/${encodeURIComponent(realm)}/clients/${encodeURIComponent(client.id!)}/client-secret`,
    headers: { authorization: `Bearer ${await a.session.token()}` },
  });
  const chunks: Buffer[] = [];
  for await (const c of res.body) chunks.push(Buffer.from(c));
  const body = Buffer.concat(chunks);
  const what = `regenerate the secret of client ${client.clientId}`;
  if (res.status !== 200) {
    const text = (): string => body.toString('utf8');
    throw keycloakError({ status: res.status, headers: res.headers, body, url: res.url, attempts: res.attempts, text, json: <T>() => JSON.parse(text()) as T }, what);
  }
  let value: unknown;
  try {
    value = (JSON.parse(body.toString('utf8')) as { value?: unknown }).value;
  } catch {
    value = undefined;
  }
  if (typeof value !== 'string' || value === '') throw new BackendError(`${what}: Keycloak answered no secret`, { service: 'keycloak', status: res.status });
  return value;
}

/** Replaces an identity provider's clientSecret; false when the IdP does not exist. */
export async function setIdpSecret(a: Access, realm: string, alias: string, secret: string): Promise<boolean> {
  const path = `/identity-provider/instances/${encodeURIComponent(alias)}`;
  const got = await adminCall(a, 'GET', realm, path);
  if (got.status === 404) return false;
  if (got.status !== 200) throw keycloakError(got, `read identity provider ${alias} of realm ${realm}`);
  const cur = got.json<{ config?: Record<string, string> } & Record<string, unknown>>();
  const res = await adminCall(a, 'PUT', realm, path, { ...cur, config: { ...cur.config, clientSecret: secret } });
  if (res.status !== 204 && res.status !== 200) throw keycloakError(res, `update identity provider ${alias} of realm ${realm}`);
  return true;
}
