// The credential store: credentials.json beside config.json, readable by the user only (0600).
// A file with wider permissions is refused, never silently used or "fixed".
import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { writeJsonAtomic } from './atomic.js';
import { withFileLock } from './file-lock.js';
import type { Paths } from './paths.js';

export const CREDENTIAL_SERVICES = ['hawkbit', 'thingsboard', 'rabbitmq', 'stepca', 'keycloak'] as const;
export type CredentialService = (typeof CREDENTIAL_SERVICES)[number];

/** A username and a secret (a value or an env:/file:/cmd: reference). */
export interface ServiceCredential {
  username?: string;
  secret: string;
}

export interface OidcTokens {
  grant: 'device_code' | 'password' | 'client_credentials';
  clientId: string;
  /** Client secret (or reference) for confidential clients, used to re-run client credentials. */
  clientSecret?: string;
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
  refreshToken?: string;
  refreshExpiresAt?: number;
  tokenEndpoint: string;
  endSessionEndpoint?: string;
  scope?: string;
}

interface ContextCredentials {
  services?: Partial<Record<CredentialService, ServiceCredential>>;
  oidc?: OidcTokens;
}

interface CredentialsDocument {
  apiVersion: string;
  contexts: Record<string, ContextCredentials>;
}

export class CredentialStore {
  private doc: CredentialsDocument;

  constructor(private readonly paths: Paths) {
    this.doc = this.read();
  }

  service(context: string, service: CredentialService): ServiceCredential | undefined {
    return this.doc.contexts[context]?.services?.[service];
  }

  setService(context: string, service: CredentialService, cred: ServiceCredential): void {
    this.update(context, (c) => { c.services = { ...c.services, [service]: cred }; });
  }

  tokens(context: string): OidcTokens | undefined {
    return this.doc.contexts[context]?.oidc;
  }

  setTokens(context: string, tokens: OidcTokens | undefined): void {
    this.update(context, (c) => {
      if (tokens) c.oidc = tokens;
      else delete c.oidc;
    });
  }

  rename(from: string, to: string): void {
    this.modify((doc) => {
      const entry = doc.contexts[from];
      if (!entry) return false;
      doc.contexts[to] = entry;
      delete doc.contexts[from];
      return true;
    });
  }

  removeContext(context: string): void {
    this.modify((doc) => {
      if (!doc.contexts[context]) return false;
      delete doc.contexts[context];
      return true;
    });
  }

  private update(context: string, change: (c: ContextCredentials) => void): void {
    this.modify((doc) => {
      const entry = doc.contexts[context] ?? {};
      change(entry);
      doc.contexts[context] = entry;
      return true;
    });
  }

  /**
   * Applies a change to the file as it is now, under its lock: a long command refreshing its token
   * must not write back the copy it read at start over a credential stored meanwhile. `change`
   * says whether it changed anything: the file is written only then.
   */
  private modify(change: (doc: CredentialsDocument) => boolean): void {
    mkdirSync(this.paths.configDir, { recursive: true, mode: 0o700 });
    withFileLock(this.paths.credentialsFile, () => {
      this.doc = this.read();
      if (!change(this.doc)) return;
      writeJsonAtomic(this.paths.credentialsFile, this.doc, 0o600);
      chmodSync(this.paths.credentialsFile, 0o600);
    });
  }

  private read(): CredentialsDocument {
    const file = this.paths.credentialsFile;
    let mode: number;
    try {
      mode = statSync(file).mode;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { apiVersion: 'cdm/v1', contexts: {} };
      throw err;
    }
    if ((mode & 0o077) !== 0) {
      throw new UsageError(
        `credentials file ${file} is accessible by others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); refusing to use it`,
        { hint: `run: chmod 600 ${file}` },
      );
    }
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as CredentialsDocument;
    } catch (err) {
      throw new UsageError(`credentials file ${file} is not valid JSON: ${(err as Error).message}`);
    }
  }
}
