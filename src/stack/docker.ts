// Running the `docker` executable (found on the caller's PATH, so tests put a fake first) and
// checking that Docker and Compose v2 are present before anything else is attempted.
import { spawn } from 'node:child_process';
import { CdmError } from '../core/errors.js';

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface DockerRunner {
  run(args: string[], opts?: { onStdout?: (chunk: string) => void }): Promise<DockerResult>;
}

export function dockerRunner(env: NodeJS.ProcessEnv, signal?: AbortSignal): DockerRunner {
  return {
    run: (args, opts = {}) => new Promise((resolve, reject) => {
      const child = spawn('docker', args, { env, stdio: ['ignore', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => {
        if (opts.onStdout) opts.onStdout(c.toString());
        else stdout += c.toString();
      });
      child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
      child.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') reject(dockerMissing());
        else reject(err);
      });
      child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    }),
  };
}

const INSTALL = 'install Docker Engine (https://docs.docker.com/engine/install/) with the Compose v2 plugin (package docker-compose-plugin), or Docker Desktop';

function dockerMissing(): CdmError {
  return new CdmError('docker was not found on PATH: the compose engine runs the real containers with Docker', { hint: INSTALL });
}

/** Compose v2 is the `docker compose` plugin; v1 (`docker-compose` 1.x) lacks `ps --format json` and newer spec features. */
export async function checkDocker(docker: DockerRunner): Promise<{ compose: string }> {
  const compose = await docker.run(['compose', 'version', '--short']);
  if (compose.code !== 0) {
    throw new CdmError(`Docker Compose v2 is not installed (\`docker compose version\`: ${firstLine(compose.stderr) || `exit ${compose.code}`})`, {
      hint: 'install the Compose v2 plugin: package docker-compose-plugin (Debian/Ubuntu from Docker\'s apt repository), or Docker Desktop; the Python docker-compose 1.x is not enough',
    });
  }
  const version = compose.stdout.trim().replace(/^v/, '');
  if (Number(version.split('.')[0]) < 2) {
    throw new CdmError(`Docker Compose ${version} is too old: cdm needs Compose v2`, { hint: 'install the Compose v2 plugin (package docker-compose-plugin)' });
  }
  const daemon = await docker.run(['version', '--format', '{{.Server.Version}}']);
  if (daemon.code !== 0 || daemon.stdout.trim() === '') {
    throw new CdmError(`the Docker daemon is not reachable: ${firstLine(daemon.stderr) || `exit ${daemon.code}`}`, {
      hint: 'start it (systemctl start docker, or Docker Desktop) and make sure your user may use it (group docker)',
    });
  }
  return { compose: version };
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}
