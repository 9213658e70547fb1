// A bearer for the sandbox's own callers (the device simulator enrolling through a tenant bridge):
// client credentials of the realm's `cdm-sandbox` client, cached until shortly before expiry.
import type { HttpClient } from '../bridge/http-client.js';

export function clientCredentialsBearer(keycloak: HttpClient, realm: string, clientId: string, secret: string, now: () => number = Date.now): () => Promise<string> {
  let cached: { value: string; until: number } | undefined;
  let inflight: Promise<string> | undefined;
  return () => {
    if (cached && cached.until > now()) return Promise.resolve(cached.value);
    inflight ??= (async () => {
      const res = await keycloak.call('POST', `/realms/${encodeURIComponent(realm)}/protocol/openid-connect/token`, {
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
      });
      const body = res.json as { access_token?: string; expires_in?: number } | undefined;
      if (res.status !== 200 || !body?.access_token) throw new Error(`token for ${realm}/${clientId}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
      cached = { value: `Bearer ${body.access_token}`, until: now() + Math.max(0, (body.expires_in ?? 60) - 20) * 1000 };
      return cached.value;
    })().finally(() => { inflight = undefined; });
    return inflight;
  };
}
