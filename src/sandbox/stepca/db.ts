// The CA database step-ca keeps in badger (used_ott, x509_certs, revoked_x509_certs), here as
// one JSON document persisted with the sandbox's atomic store.
import { join } from 'node:path';
import { JsonStore } from '../kit/store.js';

export interface IssuedCert { subject: string; provisioner: string; notAfter: string; issuedAt: string }
export interface Revocation {
  reasonCode: number; reason: string; revokedAt: string; mTLS: boolean; provisionerId: string; tokenId: string;
}

interface DbState {
  /** Token reuse keys (jti, or SHA-256 of the token when it has none) -> token expiry (ms). */
  usedTokens: Record<string, number>;
  /** Keyed by decimal serial, as step-ca keys them. */
  certs: Record<string, IssuedCert>;
  revoked: Record<string, Revocation>;
}

const LEEWAY_MS = 60_000;

export class CaDb {
  private readonly store: JsonStore<DbState>;
  /** When the earliest used-token entry expires; 0 until the first sweep has seen the loaded state. */
  private nextSweep = 0;

  constructor(dir: string | undefined) {
    this.store = new JsonStore<DbState>(dir ? join(dir, 'db', 'stepca-db.json') : undefined,
      () => ({ usedTokens: {}, certs: {}, revoked: {} }));
  }

  /** Records a token as used; false if it was used before (step-ca: "token already used"). */
  useToken(key: string, expMs: number, now: number): boolean {
    return this.store.patch((s, touch) => {
      if (Object.prototype.hasOwnProperty.call(s.usedTokens, key)) return false;
      // An entry can go once its token could no longer pass the exp check anyway. Swept only
      // when the earliest entry can go, so a bulk enrollment does not scan every token per token.
      if (this.nextSweep <= now) {
        this.nextSweep = Infinity;
        for (const [k, exp] of Object.entries(s.usedTokens)) {
          if (exp + LEEWAY_MS < now) {
            delete s.usedTokens[k];
            touch('usedTokens', k);
          } else {
            this.nextSweep = Math.min(this.nextSweep, exp + LEEWAY_MS);
          }
        }
      }
      const exp = Number.isFinite(expMs) ? expMs : Number.MAX_SAFE_INTEGER;
      setOwn(s.usedTokens, key, exp);
      this.nextSweep = Math.min(this.nextSweep, exp + LEEWAY_MS);
      touch('usedTokens', key);
      return true;
    });
  }

  storeCert(serial: string, cert: IssuedCert): void {
    this.store.patch((s, touch) => {
      setOwn(s.certs, serial, cert);
      touch('certs', serial);
    });
  }

  isRevoked(serial: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.store.state.revoked, serial);
  }

  /** false when the serial was revoked before (step-ca: "already revoked"). */
  revoke(serial: string, info: Revocation): boolean {
    return this.store.patch((s, touch) => {
      if (Object.prototype.hasOwnProperty.call(s.revoked, serial)) return false;
      setOwn(s.revoked, serial, info);
      touch('revoked', serial);
      return true;
    });
  }

  revocations(): Array<[string, Revocation]> {
    return Object.entries(this.store.state.revoked);
  }

  close(): void {
    this.store.close();
  }

  cert(serial: string): IssuedCert | undefined {
    return Object.prototype.hasOwnProperty.call(this.store.state.certs, serial) ? this.store.state.certs[serial] : undefined;
  }
}

/** Even for the key `__proto__` (a token id is the client's choice); plain assignment otherwise, which is far cheaper on a large map. */
function setOwn<V>(map: Record<string, V>, key: string, value: V): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}
