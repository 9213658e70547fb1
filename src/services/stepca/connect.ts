// How cdm reaches a context's step-ca and what it trusts, like the step CLI after
// `step ca bootstrap`: the CA's TLS certificate is issued by the CA itself, so trust comes from
// the context's CA bundle (`caFile`, written by `cdm stack up` / `context add --ca-bundle`) or,
// without one, from the pinned root fingerprint — the root is fetched once without TLS
// verification and accepted only when its SHA-256 equals the pin (then it anchors TLS).
// The same root anchors the verification of every certificate the CA hands back.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { NamedContext } from '../../config/context-spec.js';
import { BackendError, UsageError } from '../../core/errors.js';
import type { Factory } from '../../core/factory.js';
import { createHttpClient } from '../../http/client.js';
import type { HttpClient, HttpClientOptions } from '../../http/types.js';
import { parseFingerprint, sha256Hex } from '../../pki/fingerprint.js';
import { certificatePems, pemBlocks } from '../../pki/pem.js';
import { StepCaClient } from './client.js';
import { SERVICE } from './errors.js';

export interface StepCaEndpoint {
  url: string;
  fingerprint?: string;
  provisioner?: string;
}

export function stepcaEndpoint(ctx: NamedContext): StepCaEndpoint {
  if (!ctx.stepca?.url) {
    throw new UsageError(`context "${ctx.name}" has no step-ca URL`, { hint: `add one: cdm context add ${ctx.name} --overwrite … --stepca-url <url> --stepca-fingerprint <sha256>` });
  }
  return { url: ctx.stepca.url.replace(/\/+$/, ''), ...(ctx.stepca.fingerprint ? { fingerprint: parseFingerprint(ctx.stepca.fingerprint) } : {}), ...(ctx.stepca.provisioner ? { provisioner: ctx.stepca.provisioner } : {}) };
}

function fingerprintOf(pem: string): string {
  const der = pemBlocks(pem)[0]?.der;
  if (!der) throw new BackendError('step-ca: the root it sent is not a PEM certificate', { service: SERVICE });
  return sha256Hex(der);
}

export class StepCaConnection {
  private readonly clients: HttpClient[] = [];
  private trust: Pick<HttpClientOptions, 'caFile' | 'ca'> = {};
  private pinnedRoot: string | undefined;
  private main: StepCaClient | undefined;

  private constructor(private readonly f: Factory, readonly context: NamedContext, readonly endpoint: StepCaEndpoint) {}

  /** Loads the context (so its CA bundle joins the settings) and the step-ca endpoint. */
  static async open(f: Factory): Promise<StepCaConnection> {
    const ctx = await f.context();
    return new StepCaConnection(f, ctx, stepcaEndpoint(ctx));
  }

  get url(): string {
    return this.endpoint.url;
  }

  /** A client whose TLS trust is the CA bundle, else the root bootstrapped from the pinned fingerprint. */
  async client(): Promise<StepCaClient> {
    if (this.main) return this.main;
    const caFile = this.f.settings.caFile;
    if (caFile !== undefined) {
      this.trust = { caFile };
      this.main = new StepCaClient(await this.f.http(), this.url);
    } else if (this.endpoint.fingerprint) {
      const root = await this.bootstrap(this.endpoint.fingerprint);
      this.trust = { ca: root };
      this.main = new StepCaClient(this.newHttp({ ca: root }), this.url);
    } else {
      this.main = new StepCaClient(await this.f.http(), this.url);
    }
    return this.main;
  }

  /**
   * Fetches the root with this fingerprint over an unverified connection and checks its hash,
   * as `step ca bootstrap` does. Only the hash check makes the answer trustworthy.
   */
  async bootstrap(fingerprint: string): Promise<string> {
    // No TLS verification here (the root that would verify it is what we are fetching), and no
    // --insecure warning: the fingerprint check below replaces the TLS check.
    const insecure = new StepCaClient(this.newHttp({ insecure: true, warn: () => undefined }), this.url);
    const pem = await insecure.root(fingerprint);
    const got = fingerprintOf(pem);
    if (got !== fingerprint) {
      throw new BackendError(`step-ca sent a root whose fingerprint is ${got}, not the pinned ${fingerprint}: refusing to trust it`, { service: SERVICE, hint: 'someone may be intercepting the connection, or the pin is wrong' });
    }
    this.pinnedRoot = pem;
    return pem;
  }

  /**
   * The trust anchors for certificates this CA issues: the pinned root when the context has a
   * fingerprint (from the CA bundle, or fetched and hash-checked), else the self-signed
   * certificates of the CA bundle. Without either there is nothing to verify against.
   */
  async roots(): Promise<string[]> {
    const fp = this.endpoint.fingerprint;
    const bundle = this.bundleRoots();
    if (fp) {
      const hit = bundle.find((p) => fingerprintOf(p) === fp);
      if (hit) return [hit];
      // Not in the bundle (or no bundle): fetch it; the hash check is what makes it trusted.
      return [this.pinnedRoot ?? (await this.bootstrap(fp))];
    }
    if (bundle.length > 0) return bundle;
    throw new UsageError(`context "${this.context.name}" pins no step-ca root (no fingerprint, no CA bundle): certificates cannot be verified`, {
      hint: `pin it: cdm cert root --fingerprint <sha256> --context ${this.context.name}`,
    });
  }

  /** A client presenting this certificate and key (mTLS renewal), with the same server trust. */
  async mtlsClient(cert: string, key: string): Promise<StepCaClient> {
    await this.client();
    return new StepCaClient(this.newHttp({ ...this.trust, clientCert: { cert, key } }), this.url);
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.close()));
  }

  private bundleRoots(): string[] {
    const caFile = this.f.settings.caFile;
    if (caFile === undefined) return [];
    let text: string;
    try {
      text = readFileSync(caFile, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read CA bundle ${caFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    // Only self-signed certificates can be anchors; intermediates in a bundle are not.
    return certificatePems(text).filter((p) => isSelfIssued(pemBlocks(p)[0]!.der));
  }

  private newHttp(extra: HttpClientOptions): HttpClient {
    const client = createHttpClient({
      insecure: this.f.settings.insecure,
      signal: this.f.signal,
      env: this.f.io.env,
      warn: (line) => this.f.output().warn(line),
      ...(this.f.settings.verbose ? { trace: (line: string) => { this.f.io.stderr.write(`${line}\n`); } } : {}),
      ...extra,
    });
    this.clients.push(client);
    return client;
  }
}

function isSelfIssued(der: Buffer): boolean {
  try {
    const c = new X509Certificate(der);
    return c.subject === c.issuer && c.verify(c.publicKey);
  } catch {
    return false;
  }
}
