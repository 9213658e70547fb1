// step-ca emulator of the embedded sandbox: the HTTP API of smallstep step-ca as described in
// ../reference (keycloak-stepca.md Part 2, real-servers.md §1), checked against a real 0.19 by
// test/conformance/stepca.conformance.test.ts. `version` switches the known differences of
// newer releases ('0.28', the default, as the CDM stacks run smallstep/step-ca:latest).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createContext, Router, type RequestContext } from '../kit/router.js';
import type { Emulator } from '../kit/types.js';
import { CaDb } from './db.js';
import { internal, StepCaError } from './errors.js';
import { peerCertificate, send, sendError, type Scope } from './http.js';
import * as info from './info.js';
import { requestId, StepCaLog } from './logger.js';
import { fingerprint, issuedByUs, loadMaterial, serverTls } from './material.js';
import { handleRenew } from './renew.js';
import { handleRevoke } from './revoke.js';
import { setupConfig, setupMaterial } from './setup.js';
import { handleSign } from './sign.js';
import type { CaState, StepCaVersion } from './state.js';
import { parseCertificate } from '../kit/certs/x509.js';

export interface StepCaEmulatorOptions {
  /** State dir laid out like a real step-ca (config/ca.json, certs/, secrets/, db/); undefined = in memory. */
  dir: string | undefined;
  kind: 'provider' | 'tenant';
  tenantId?: string;
  /** https://127.0.0.1:<port>; its host joins the CA's dnsNames (token audiences, server certificate). */
  publicUrl: string;
  /** Protects the provisioners' encrypted keys and the CA keys written to secrets/. */
  provisionerPassword: string;
  version?: StepCaVersion;
  now?: () => number;
}

export interface StepCaTls {
  key: string;
  cert: string;
  requestCert: true;
  /** Connections without a client certificate must get through; the emulator checks presented ones itself. */
  rejectUnauthorized: false;
}

export type StepCaEmulator = Emulator & { tls: StepCaTls; rootFingerprint(): string; reload(): void };

type Handler = (s: CaState, scope: Scope) => void | Promise<void>;

function routes(version: StepCaVersion): Array<[string, string, Handler]> {
  const all: Array<[string, string, Handler]> = [
    ['GET', '/health', info.health], ['GET', '/version', info.version],
    ['GET', '/root/:sha', info.root], ['GET', '/roots', info.roots], ['GET', '/roots.pem', info.rootsPem],
    ['GET', '/federation', info.federation],
    ['GET', '/provisioners', info.provisioners], ['GET', '/provisioners/:kid/encrypted-key', info.encryptedKey],
    ['POST', '/sign', handleSign], ['POST', '/renew', handleRenew], ['POST', '/revoke', handleRevoke],
  ];
  if (version !== '0.19') {
    all.push(['GET', '/crl', info.crl], ['GET', '/intermediates', info.intermediates], ['GET', '/intermediates.pem', info.intermediatesPem]);
  }
  return all;
}

export function createStepCaEmulator(opts: StepCaEmulatorOptions): StepCaEmulator {
  const now = opts.now ?? Date.now;
  const version = opts.version ?? '0.28';
  const input = {
    dir: opts.dir, kind: opts.kind, tenantId: opts.tenantId, publicUrl: opts.publicUrl,
    password: opts.provisionerPassword, version, now: now(),
  };
  const material = setupMaterial(input);
  const { config, finish } = setupConfig(input);
  const state: CaState = {
    version, config, material, db: new CaDb(opts.dir), startTime: Math.floor(now() / 1000) * 1000, now,
  };
  const log = new StepCaLog(opts.dir ? join(opts.dir, 'step-ca.log') : undefined);
  const tls: StepCaTls = { ...serverTls(material, config.dnsNames, now()), requestCert: true, rejectUnauthorized: false };

  // The kit router matches paths; handlers get the request's scope through this map.
  const scopes = new WeakMap<RequestContext, Scope>();
  const router = new Router();
  for (const [method, path, fn] of routes(version)) {
    const h = (ctx: RequestContext): void | Promise<void> => fn(state, scopes.get(ctx)!);
    // Every route is served at / and under /1.0.
    router.add(method, path, h).add(method, `/1.0${path}`, h);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await finish;
    const t0 = process.hrtime.bigint();
    const start = new Date(now());
    const url = new URL(req.url ?? '/', 'https://step-ca.invalid');
    const match = router.match(req.method ?? 'GET', url.pathname);
    const ctx = createContext(req, res, match && match !== 'method' ? match.params : {});
    const scope: Scope = { ctx, fields: {}, status: 0, size: 0 };
    const peer = peerCertificate(ctx);
    if (peer) {
      // step-ca verifies a presented client certificate during the TLS handshake: one it did not
      // issue never reaches a handler, and 0.19 also drops expired ones there.
      const parsed = issuedByUs(state.material, peer) ? parseCertificate(peer) : undefined;
      const t = now();
      const expired = parsed !== undefined && (t < parsed.notBefore.getTime() || t > parsed.notAfter.getTime());
      if (!parsed || (expired && version === '0.19')) {
        req.socket.destroy();
        return;
      }
      scope.peer = peer;
      if (expired) scope.peerExpired = parsed.notAfter;
    }
    scopes.set(ctx, scope);
    try {
      if (!match) send(scope, 404, '404 page not found\n', { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
      else if (match === 'method') send(scope, 405, '');
      else await match.handler(ctx);
    } catch (err) {
      sendError(scope, err instanceof StepCaError ? err : internal((err as Error).message));
    }
    log.write({
      start, durationNs: process.hrtime.bigint() - t0, method: ctx.method, uri: req.url ?? '/',
      protocol: `HTTP/${req.httpVersion === '2.0' ? '2.0' : req.httpVersion}`,
      remoteAddress: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '',
      userAgent: ctx.header('user-agent') ?? '', referer: ctx.header('referer') ?? '',
      status: scope.status, size: scope.size, requestId: ctx.header('x-smallstep-id') ?? requestId(start.getTime()),
      fields: scope.fields,
    });
  }

  return {
    name: 'step-ca',
    tls,
    handle,
    rootFingerprint: () => fingerprint(state.material.roots[0]!.parsed.der),
    reload(): void {
      if (!opts.dir) return; // nothing on disk to re-read
      state.material = loadMaterial(opts.dir, opts.provisionerPassword);
      // The listener certificate must come from the new issuing CA; hosts re-read `tls` on restart.
      Object.assign(tls, serverTls(state.material, config.dnsNames, now()));
    },
    close: async (): Promise<void> => {
      await finish;
      state.db.close();
      log.close();
    },
  };
}
