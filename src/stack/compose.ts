// `docker compose` invocations for one stack, and parsing `docker compose ps --format json`,
// which prints a JSON array (Compose ≤ 2.20) or one JSON object per line (≥ 2.21).
import { CdmError } from '../core/errors.js';
import type { DockerRunner } from './docker.js';
import { composeDir, projectName, stackFiles, type StackRef } from './layout.js';
import { join } from 'node:path';

export interface ServiceState {
  service: string;
  /** running, exited, created, restarting, … */
  state: string;
  /** healthy, unhealthy, starting, or '' when the service has no health check. */
  health: string;
  exitCode: number;
}

export function composeArgs(stateDir: string, s: StackRef): string[] {
  const dir = composeDir(s.kind);
  return ['compose', '--project-name', projectName(s), '--project-directory', dir, '-f', join(dir, 'compose.yaml'), '--env-file', stackFiles.env(stateDir, s)];
}

export async function compose(docker: DockerRunner, stateDir: string, s: StackRef, args: string[], what: string): Promise<string> {
  const res = await docker.run([...composeArgs(stateDir, s), ...args]);
  if (res.code !== 0) throw new CdmError(`docker compose ${what} (${projectName(s)}) failed: ${res.stderr.trim().split('\n').slice(-3).join(' | ') || `exit ${res.code}`}`);
  return res.stdout;
}

export function parsePs(text: string): ServiceState[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const raw: Array<Record<string, unknown>> = trimmed.startsWith('[')
    ? (JSON.parse(trimmed) as Array<Record<string, unknown>>)
    : trimmed.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  return raw.map((r) => ({
    service: String(r['Service'] ?? r['Name'] ?? ''),
    state: String(r['State'] ?? '').toLowerCase(),
    health: String(r['Health'] ?? '').toLowerCase(),
    exitCode: Number(r['ExitCode'] ?? 0),
  }));
}

export async function ps(docker: DockerRunner, stateDir: string, s: StackRef): Promise<ServiceState[]> {
  return parsePs(await compose(docker, stateDir, s, ['ps', '--all', '--format', 'json'], 'ps'));
}
