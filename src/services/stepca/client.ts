// Typed client of step-ca's HTTP API. Paths are the ones the step client uses (every route is
// also served under /1.0). Certificate-bundle endpoints answer 201, sign/renew 201, revoke 200;
// any other status becomes a typed error through stepcaError.
import { BackendError } from '../../core/errors.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../http/types.js';
import { SERVICE, stepcaError } from './errors.js';
import type { Provisioner, RevokeRequest, SignRequest, SignResponse } from './types.js';

const PAGE_LIMIT = 100;

export class StepCaClient {
  readonly baseUrl: string;

  constructor(private readonly http: HttpClient, baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async health(): Promise<{ status: string }> {
    return this.json(await this.call('GET', '/health'), [200], 'health check');
  }

  async version(): Promise<{ version: string; requireClientAuthentication?: boolean }> {
    return this.json(await this.call('GET', '/version'), [200], 'version');
  }

  /** The CA's roots (PEM); the TLS connection must already be trusted. */
  async roots(): Promise<string[]> {
    const body = this.json<{ crts?: unknown }>(await this.call('GET', '/roots'), [200, 201], 'roots');
    if (!Array.isArray(body.crts) || !body.crts.every((c) => typeof c === 'string')) throw this.shape('roots', 'crts');
    return body.crts as string[];
  }

  /** The intermediates (newer step-ca; 0.19 has no such route → NotFoundError). */
  async intermediates(): Promise<string[]> {
    const body = this.json<{ crts?: unknown }>(await this.call('GET', '/intermediates'), [200, 201], 'intermediates');
    if (!Array.isArray(body.crts) || !body.crts.every((c) => typeof c === 'string')) throw this.shape('intermediates', 'crts');
    return body.crts as string[];
  }

  /** The root with this SHA-256 fingerprint (the caller verifies the answer's fingerprint). */
  async root(fingerprint: string): Promise<string> {
    const res = await this.call('GET', `/root/${encodeURIComponent(fingerprint)}`);
    if (res.status === 404) throw stepcaError(res, `step-ca has no root with fingerprint ${fingerprint}`, 'check the fingerprint (`step certificate fingerprint root_ca.crt` on the CA host)');
    const body = this.json<{ ca?: unknown }>(res, [200], 'root');
    if (typeof body.ca !== 'string') throw this.shape('root', 'ca');
    return body.ca;
  }

  /** Every provisioner, following nextCursor until it is empty. */
  async *provisioners(): AsyncGenerator<Provisioner> {
    let cursor = '';
    for (let page = 0; page < 1000; page++) {
      const res = await this.call('GET', '/provisioners', { query: { limit: PAGE_LIMIT, cursor: cursor || undefined } });
      const body = this.json<{ provisioners?: unknown; nextCursor?: unknown }>(res, [200], 'provisioners');
      if (!Array.isArray(body.provisioners)) throw this.shape('provisioners', 'provisioners');
      yield* body.provisioners as Provisioner[];
      const next = typeof body.nextCursor === 'string' ? body.nextCursor : '';
      if (next === '' || body.provisioners.length === 0 || next === cursor) return;
      cursor = next;
    }
  }

  async encryptedKey(kid: string): Promise<string> {
    const body = this.json<{ key?: unknown }>(await this.call('GET', `/provisioners/${encodeURIComponent(kid)}/encrypted-key`), [200], 'encrypted provisioner key');
    if (typeof body.key !== 'string') throw this.shape('encrypted-key', 'key');
    return body.key;
  }

  async sign(req: SignRequest): Promise<SignResponse> {
    return this.signResponse(await this.call('POST', '/sign', { json: req }), 'sign');
  }

  /** Renewal over mTLS: this client must carry the certificate being renewed as its client certificate. */
  async renew(): Promise<SignResponse> {
    return this.signResponse(await this.call('POST', '/renew', { body: '' }), 'renew');
  }

  async revoke(req: RevokeRequest): Promise<void> {
    this.json(await this.call('POST', '/revoke', { json: req }), [200], `revoke serial ${req.serial}`);
  }

  /** The DER CRL, or undefined when the CA serves none (0.19 has no route; newer ones 404 when disabled). */
  async crl(): Promise<Buffer | undefined> {
    const res = await this.call('GET', '/crl');
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw stepcaError(res, 'CRL');
    return res.body;
  }

  private async call(method: 'GET' | 'POST', path: string, extra: Partial<HttpRequest> = {}): Promise<HttpResponse> {
    return this.http.request({ service: SERVICE, method, url: `${this.baseUrl}${path}`, ...extra });
  }

  private signResponse(res: HttpResponse, what: string): SignResponse {
    const body = this.json<Partial<SignResponse>>(res, [200, 201], what);
    if (typeof body.crt !== 'string') throw this.shape(what, 'crt');
    return { crt: body.crt, ca: typeof body.ca === 'string' ? body.ca : '', ...(Array.isArray(body.certChain) ? { certChain: body.certChain.filter((c): c is string => typeof c === 'string') } : {}) };
  }

  private json<T>(res: HttpResponse, ok: number[], what: string): T {
    if (!ok.includes(res.status)) throw stepcaError(res, what);
    const body = res.json<T>();
    if (!body || typeof body !== 'object') throw this.shape(what, 'body');
    return body;
  }

  private shape(what: string, field: string): BackendError {
    return new BackendError(`step-ca: unexpected ${what} answer (no "${field}")`, { service: SERVICE });
  }
}
