// An in-process sandbox for integration tests, with its contexts written into a temp config dir.
import { ContextStore } from '../../src/config/contexts.js';
import { CredentialStore } from '../../src/config/credentials.js';
import { resolvePaths } from '../../src/config/paths.js';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/stack/host.js';
import { writeSandboxContexts } from '../../src/workflows/sandbox/contexts.js';
import { randomPortBase } from './ports.js';
import { tempConfigEnv } from './run-cli.js';
import { tempDir } from './temp.js';

export interface TestSandbox {
  env: NodeJS.ProcessEnv;
  sandbox: RunningSandbox;
  stateDir: string;
  close(): Promise<void>;
}

export async function startTestSandbox(opts: { tenants?: string[]; provider?: boolean } = {}): Promise<TestSandbox> {
  const env = tempConfigEnv();
  const stateDir = tempDir('cdm-sandbox-');
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const portBase = randomPortBase();
    try {
      const sandbox = await startSandbox({ stateDir, provider: opts.provider ?? true, tenants: opts.tenants ?? ['acme'], portBase });
      const paths = resolvePaths(env);
      writeSandboxContexts(sandbox.info, sandbox.secrets, await ContextStore.open(paths), new CredentialStore(paths));
      return { env, sandbox, stateDir, close: () => sandbox.close() };
    } catch (err) {
      lastError = err;
      if (!/in use/.test(String((err as Error).message))) throw err;
    }
  }
  throw lastError;
}
