// `cdm stack status`: is the sandbox process alive, and does each service answer?
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpClient } from '../../http/types.js';
import { lockOwner } from '../../sandbox/stack/lock.js';
import { readSandboxInfo, type SandboxInfo } from '../../sandbox/stack/host.js';
import type { ServiceEndpoint } from '../../sandbox/stack/layout.js';

export interface ServiceStatus {
  stack: string;
  service: string;
  url: string;
  state: 'up' | 'down' | 'stopped';
  detail?: string;
}

/** A path each emulator answers without credentials, like its real server. */
const PROBE: Record<string, string> = { keycloak: '/realms/master', 'step-ca': '/health', rabbitmq: '/api/overview', hawkbit: '/rest/v1/targets', thingsboard: '/api/auth/user', bridge: '/health' };

export async function sandboxStatus(stateDir: string, http: (caFile: string) => Promise<HttpClient>): Promise<{ info?: SandboxInfo; pid?: number; services: ServiceStatus[] }> {
  const info = readSandboxInfo(stateDir);
  const pid = lockOwner(stateDir);
  if (!info) return { services: [] };
  if (pid === undefined) return { info, services: info.services.map((s) => ({ stack: s.stack, service: s.service, url: s.url, state: 'stopped' as const })) };
  const services = await Promise.all(info.services.map(async (s) => probe(s, await http(rootCa(stateDir, s.stack)))));
  return { info, pid, services };
}

function rootCa(stateDir: string, stack: string): string {
  return join(stateDir, stack === 'provider' ? 'provider' : join('tenants', stack), 'step-ca', 'certs', 'root_ca.crt');
}

async function probe(s: ServiceEndpoint, http: HttpClient): Promise<ServiceStatus> {
  const base = { stack: s.stack, service: s.service, url: s.url };
  try {
    const res = await http.request({ service: s.service, method: 'GET', url: `${s.url}${PROBE[s.service]}`, idempotent: false });
    // 401 from RabbitMQ's overview is an answer: the API is up and asks for credentials.
    if (res.status < 500) return { ...base, state: 'up' };
    return { ...base, state: 'down', detail: `HTTP ${res.status}` };
  } catch (err) {
    return { ...base, state: 'down', detail: (err as Error).message };
  }
}

export function readRoot(stateDir: string, stack: string): string {
  return readFileSync(rootCa(stateDir, stack), 'utf8');
}
