// A loopback stand-in for the bridge's device lookup (commands.md §7: GET /devices, GET /devices/{id},
// Bearer required) — the sandbox bridge emulator had not landed when `cdm debug` was written.
// `routes: false` answers like upstream's iot-bridge-api, which has neither route (FastAPI's
// 404 {"detail":"Not Found"}). Also: a context whose session is seeded, so no Keycloak is needed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CredentialStore } from '../../../src/config/credentials.js';
import { resolvePaths } from '../../../src/config/paths.js';
import { runCli } from '../../helpers/run-cli.js';

export const TOKEN = 'test-access-token';
const SAMPLE_WG_KEY = 'rroh8j+v+EgudiIiIh9W5TE1wHLhXBQliLmy0W1fxnc=';

export interface StubDevice {
  device_id: string;
  wireguard_ip: string | null;
  /** The list leaves it out unless a test sets it; the single lookup answers a sample key by default. */
  wg_public_key?: string | null;
}

export interface BridgeStub {
  url: string;
  devices: StubDevice[];
  /** Every request as `METHOD path`, with whether it carried the expected bearer. */
  requests: Array<{ call: string; bearer: boolean }>;
  /** false: no device routes (upstream); 405: the path exists for POST only. */
  routes: true | false | 405;
  close(): Promise<void>;
}

export async function startBridgeStub(devices: StubDevice[]): Promise<BridgeStub> {
  const stub = { devices, requests: [], routes: true } as unknown as BridgeStub;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const bearer = req.headers.authorization === `Bearer ${TOKEN}`;
    stub.requests.push({ call: `${req.method} ${path}`, bearer });
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const m = /^\/devices(?:\/([^/]+))?$/.exec(path);
    if (!m || stub.routes === false) return send(404, { detail: 'Not Found' });
    if (stub.routes === 405) return send(405, { detail: 'Method Not Allowed' });
    if (!bearer) return send(401, { detail: 'Not authenticated' });
    if (m[1] === undefined) return send(200, stub.devices);
    const found = stub.devices.find((d) => d.device_id === decodeURIComponent(m[1]!));
    // An enrolled device has the WireGuard key it was enrolled with, unless the test says otherwise.
    return found ? send(200, { wg_public_key: SAMPLE_WG_KEY, ...found, cert_serial: null, cert_not_after: null, enrolled_at: '2026-01-01T00:00:00Z' }) : send(404, { detail: `Device ${m[1]} not found` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () => new Promise((resolve) => server.close(() => resolve()));
  return stub;
}

/** A tenant context pointing at the stub (and optionally a jump host), logged in with a valid token. */
export async function loggedInContext(env: NodeJS.ProcessEnv, bridgeUrl: string, jump?: string): Promise<void> {
  const add = await runCli(['context', 'add', 'acme', '--kind', 'tenant', '--tenant', 'acme', '--bridge-url', bridgeUrl, ...(jump ? ['--ssh-jump', jump] : []), '--use'], { env });
  if (add.code !== 0) throw new Error(`context add failed: ${add.stderr}`);
  new CredentialStore(resolvePaths(env)).setTokens('acme', {
    grant: 'client_credentials', clientId: 'ci', accessToken: TOKEN, expiresAt: Date.now() + 3_600_000, tokenEndpoint: 'http://127.0.0.1:9/token',
  });
}
