// `cdm stack status|down|reset|logs --engine compose`: what runs, stopping it, deleting it.
import { rm } from 'node:fs/promises';
import { CdmError } from '../core/errors.js';
import type { ContextStore } from '../config/contexts.js';
import type { CredentialStore } from '../config/credentials.js';
import { compose, composeArgs, ps } from './compose.js';
import { composeContexts } from './contexts.js';
import { checkDocker, type DockerRunner } from './docker.js';
import { readiness } from './health.js';
import { projectName, stackName, type StackRef } from './layout.js';
import { composeServices } from './services.js';

export interface ComposeServiceStatus {
  stack: string;
  project: string;
  service: string;
  state: string;
  health: string;
  ready: boolean;
}

export async function composeStatus(docker: DockerRunner, stateDir: string, stacks: StackRef[]): Promise<ComposeServiceStatus[]> {
  await checkDocker(docker);
  const rows: ComposeServiceStatus[] = [];
  for (const s of stacks) {
    const states = await ps(docker, stateDir, s);
    for (const svc of await composeServices(s.kind)) {
      const st = states.find((x) => x.service === svc.name);
      rows.push({
        stack: stackName(s), project: projectName(s), service: svc.name,
        state: st ? (svc.oneShot && st.state === 'exited' ? `exited (${st.exitCode})` : st.state) : 'absent',
        health: st?.health ?? '',
        ready: readiness(svc, st) === 'ready',
      });
    }
  }
  return rows;
}

export async function composeDown(docker: DockerRunner, stateDir: string, stacks: StackRef[]): Promise<void> {
  await checkDocker(docker);
  for (const s of stacks) await compose(docker, stateDir, s, ['down', '--remove-orphans'], 'down');
}

/** Severe: containers and named volumes (all data, the CAs) go, then the env files and contexts. */
export async function composeReset(docker: DockerRunner, stateDir: string, stacks: StackRef[], contexts: ContextStore, credentials: CredentialStore): Promise<string[]> {
  await checkDocker(docker);
  for (const s of stacks) await compose(docker, stateDir, s, ['down', '--volumes', '--remove-orphans'], 'down --volumes');
  const names = composeContexts(stateDir, contexts);
  for (const n of names) { contexts.remove(n); credentials.removeContext(n); }
  await rm(stateDir, { recursive: true, force: true });
  return names;
}

/** `docker compose logs`, streamed to `write` as it arrives (with --follow until interrupted). */
export async function composeLogs(docker: DockerRunner, stateDir: string, stacks: StackRef[], opts: { lines: number; follow: boolean; service?: string }, write: (chunk: string) => void): Promise<void> {
  await checkDocker(docker);
  for (const s of stacks) {
    const args = [...composeArgs(stateDir, s), 'logs', '--no-color', '--tail', String(opts.lines), ...(opts.follow ? ['--follow'] : []), ...(opts.service ? [opts.service] : [])];
    const res = await docker.run(args, { onStdout: write });
    if (res.code !== 0) throw new CdmError(`docker compose logs (${projectName(s)}) failed: ${res.stderr.trim()}`);
  }
}
