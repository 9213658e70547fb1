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

  constructor(dir: string | undefined) {
    this.store = new JsonStore<DbState>(dir ? join(dir, 'db', 'stepca-db.json') : undefined,
      () => ({ usedTokens: {}, certs: {}, revoked: {} }));
  }

  /** Records a token as used; false if it was used before (step-ca: "token already used"). */
  useToken(key: string, expMs: number, now: number): boolean {
    return this.store.update((s) => {
      if (key in s.usedTokens) return false;
      // An entry can go once its token could no longer pass the exp check anyway.
      for (const [k, exp] of Object.entries(s.usedTokens)) if (exp + LEEWAY_MS < now) delete s.usedTokens[k];
      s.usedTokens[key] = Number.isFinite(expMs) ? expMs : Number.MAX_SAFE_INTEGER;
      return true;
    });
  }

  storeCert(serial: string, cert: IssuedCert): void {
    this.store.update((s) => { s.certs[serial] = cert; });
  }

  isRevoked(serial: string): boolean {
    return serial in this.store.state.revoked;
  }

  /** false when the serial was revoked before (step-ca: "already revoked"). */
  revoke(serial: string, info: Revocation): boolean {
    return this.store.update((s) => {
      if (serial in s.revoked) return false;
      s.revoked[serial] = info;
      return true;
    });
  }

  revocations(): Array<[string, Revocation]> {
    return Object.entries(this.store.state.revoked);
  }

  cert(serial: string): IssuedCert | undefined {
    return this.store.state.certs[serial];
  }
}
