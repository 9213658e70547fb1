// Process wiring for the real binary: signals, closed pipes, exit status.
import { processIO } from './core/io.js';
import { main } from './main.js';
export { renderAllHelp } from './cli.js';
export { REGISTRY } from '../commands/index.js';
export { completionScript } from './completion/index.js';

export async function run(argv: string[]): Promise<void> {
  const interrupt = new AbortController();
  // First Ctrl-C lets the command stop cleanly (journals stay consistent, a bulk run says what took
  // effect); a second one exits now. SIGTERM, what a CI runner or `timeout` sends to cancel a job,
  // is taken the same way: Node's default would end the process without a word.
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // `cdm … | head` closes stdout early: that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const code = await main(argv, { io: processIO(), interrupt: interrupt.signal });
  // Exit once stdout is flushed, so lingering handles (stdin, keep-alive sockets) cannot hold the process.
  process.stdout.write('', () => process.exit(code));
}
