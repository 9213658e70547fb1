// The shapes step-ca's API uses (real-servers.md §1, keycloak-stepca.md §2.1). Types only.
import type { JWK } from 'jose';

export interface Provisioner {
  type: string;
  name: string;
  key?: JWK;
  encryptedKey?: string;
  claims?: Record<string, unknown>;
  options?: Record<string, unknown>;
}

export interface SignRequest {
  csr: string;
  ott: string;
  /** RFC 3339 time or Go duration (`24h`). */
  notAfter?: string;
  notBefore?: string;
}

export interface SignResponse {
  crt: string;
  ca: string;
  certChain?: string[];
}

export interface RevokeRequest {
  serial: string;
  ott?: string;
  reasonCode: number;
  reason: string;
  /** step-ca only implements passive revocation; false is answered 501. */
  passive: true;
}
