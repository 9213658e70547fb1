// Entry of a detached sandbox (`cdm stack up --detach`): starts the emulators, reports readiness
// on stdout (one JSON line the parent waits for), and stops cleanly on SIGTERM/SIGINT.
import { startSandbox, type SandboxOptions } from './host.js';

export async function runDaemon(optionsJson: string): Promise<void> {
  const opts = JSON.parse(optionsJson) as SandboxOptions;
  let sandbox;
  try {
    sandbox = await startSandbox(opts);
  } catch (err) {
    process.stdout.write(`${JSON.stringify({ ready: false, error: (err as Error).message })}\n`);
    process.exit(1);
  }
  const stop = (): void => {
    sandbox.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
}
