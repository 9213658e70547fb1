// The tenant Keycloak URL a join sends as keycloak_url (the provider builds the federation client's
// redirect URI from it) comes from the realm's issuer: the public base, with /auth when Keycloak has it.
import { describe, expect, it } from 'vitest';
import { issuerBase, publicKeycloakBase } from '../../../src/workflows/tenant/join.js';
import type { HttpClient } from '../../../src/http/types.js';

describe('issuerBase', () => {
  it('strips /realms/<realm> from the issuer, keeping a legacy /auth prefix', () => {
    expect(issuerBase('https://id.acme.example/auth/realms/acme', 'acme')).toBe('https://id.acme.example/auth');
    expect(issuerBase('https://id.acme.example/realms/acme/', 'acme')).toBe('https://id.acme.example');
    expect(issuerBase('https://id.acme.example/realms/other', 'acme')).toBeUndefined();
  });
});

describe('publicKeycloakBase', () => {
  it('answers the issuer\'s base (an internal context URL is replaced), or the context URL when the realm cannot be read', async () => {
    const http = (issuer: string | undefined): HttpClient => ({
      request: async () => (issuer
        ? { status: 200, headers: {}, body: Buffer.from(JSON.stringify({ issuer, token_endpoint: `${issuer}/protocol/openid-connect/token` })), text() { return this.body.toString(); }, json() { return JSON.parse(this.body.toString()); } }
        : Promise.reject(new Error('connection refused'))),
    }) as unknown as HttpClient;
    expect(await publicKeycloakBase(http('https://id.acme.example/auth/realms/acme'), 'http://keycloak:8080', 'acme')).toBe('https://id.acme.example/auth');
    expect(await publicKeycloakBase(http(undefined), 'http://keycloak:8080', 'acme')).toBe('http://keycloak:8080');
  });
});
