// Signing through a step-ca's public API, as upstream's StepCAClient does (cdm-platform.md §3.1):
// GET /1.0/provisioners (paged), the named JWK provisioner's encryptedKey decrypted with its
// password (PBES2 JWE), a one-time token as the step client builds it (keycloak-stepca.md §2.3),
// POST /1.0/sign. The decrypted key is cached per kid: PBKDF2 with 100000 rounds per device
// would make bulk enrollment CPU-bound (upstream re-fetches and decrypts per request).
import { createPrivateKey, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import { compactDecrypt, type JWK } from 'jose';
import { BackendError } from './errors.js';
import { describe, HttpClient } from './http-client.js';
import { signCompactJws } from './jws.js';
import { rootFingerprint } from './pki.js';

export interface SignResult { crt: string; ca: string; certChain: string[] }

interface Provisioner { type?: string; name?: string; key?: { kid?: string; alg?: string }; encryptedKey?: string }

interface SigningKey { kid: string; alg: string; key: KeyObject }

/** Token lifetime the step client uses by default. */
const OTT_LIFETIME_S = 300;

export class StepCaClient {
  private readonly http: HttpClient;
  private readonly fingerprint: string;
  private readonly keys = new Map<string, Promise<SigningKey>>();

  constructor(private readonly url: string, rootPem: string, private readonly now: () => number) {
    this.http = new HttpClient('step-ca', url, rootPem);
    this.fingerprint = rootFingerprint(rootPem);
  }

  /** Signs `csr` with provisioner `name`; `sub` must be the CSR's CN (step-ca refuses others with 403). */
  async sign(csr: string, name: string, password: string, sub: string, sans: string[]): Promise<SignResult> {
    const key = await this.signingKey(name, password);
    const t = Math.floor(this.now() / 1000);
    const ott = signCompactJws({ alg: key.alg, kid: key.kid, typ: 'JWT' }, {
      sans, sha: this.fingerprint, iss: name, sub, aud: `${this.url.replace(/\/+$/, '')}/1.0/sign`,
      iat: t, nbf: t, exp: t + OTT_LIFETIME_S, jti: randomBytes(32).toString('hex'),
    }, key.key);
    const reply = await this.http.call('POST', '/1.0/sign', { body: { csr, ott } });
    const body = reply.json as Partial<SignResult> | undefined;
    if (reply.status < 200 || reply.status > 299 || typeof body?.crt !== 'string') {
      throw new BackendError('step-ca', reply.status, `step-ca sign failed: ${describe(reply)}`);
    }
    const chain = Array.isArray(body.certChain) ? body.certChain.filter((c): c is string => typeof c === 'string') : [];
    return { crt: body.crt, ca: typeof body.ca === 'string' ? body.ca : chain[1] ?? '', certChain: chain };
  }

  private signingKey(name: string, password: string): Promise<SigningKey> {
    const cacheKey = `${name}\u0000${password}`;
    let pending = this.keys.get(cacheKey);
    if (!pending) {
      pending = this.loadKey(name, password);
      // A failure is not cached: the provisioner may be added later (init-provisioners.sh is manual).
      pending.catch(() => this.keys.delete(cacheKey));
      this.keys.set(cacheKey, pending);
    }
    return pending;
  }

  private async loadKey(name: string, password: string): Promise<SigningKey> {
    const p = await this.findProvisioner(name);
    let jwk: JWK;
    try {
      const { plaintext } = await compactDecrypt(p.encryptedKey!, new TextEncoder().encode(password), {
        keyManagementAlgorithms: ['PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW'],
        // step writes p2c = 100000; jose's default cap is 10000.
        maxPBES2Count: 1_000_000,
      });
      jwk = JSON.parse(new TextDecoder().decode(plaintext)) as JWK;
    } catch {
      throw new BackendError('step-ca', 0, `provisioner '${name}' not found (or your password is wrong)`);
    }
    const alg = jwk.alg ?? p.key?.alg ?? 'ES256';
    return { kid: p.key?.kid ?? jwk.kid ?? '', alg, key: createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' }) };
  }

  private async findProvisioner(name: string): Promise<Provisioner> {
    let cursor = '';
    for (let page = 0; page < 100; page++) {
      const q = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
      const reply = await this.http.call('GET', `/1.0/provisioners?${q.toString()}`);
      const body = reply.json as { provisioners?: Provisioner[]; nextCursor?: string } | undefined;
      if (reply.status !== 200 || !Array.isArray(body?.provisioners)) {
        throw new BackendError('step-ca', reply.status, `step-ca provisioner list failed: ${describe(reply)}`);
      }
      const hit = body.provisioners.find((p) => p.name === name && p.type?.toUpperCase() === 'JWK' && typeof p.encryptedKey === 'string');
      if (hit) return hit;
      cursor = body.nextCursor ?? '';
      if (!cursor) break;
    }
    throw new BackendError('step-ca', 0, `JWK provisioner '${name}' not found on ${this.url}`);
  }

  close(): void {
    this.http.close();
  }
}
