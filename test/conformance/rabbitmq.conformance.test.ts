// RabbitMQ management API conformance: the same scenarios against the sandbox emulator and
// a real RabbitMQ node (Debian's 3.10.8, started by scripts/real-servers/rabbitmq-start.sh).
// Without the rabbitmq-server package the real target is skipped on a developer machine and
// fails in CI (CI set), where a skipped real-server test must not pass unnoticed.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { makeCall, type Call } from './rabbitmq/client.js';
import { scenarios } from './rabbitmq/scenarios.js';
import { ADMIN, INSTALL_SCRIPT, realServerInstalled, startEmulator, startRealNode, type Started } from './rabbitmq/targets.js';

/** A fresh real node takes about 10 s to start and about 6 s to stop. */
const REAL_START_MS = 180_000;
const REAL_STOP_MS = 90_000;

function suite(start: () => Promise<Started>, startTimeout: number, stopTimeout: number): void {
  let started: Started | undefined;
  let call: Call;
  beforeAll(async () => {
    started = await start();
    call = makeCall(started.url, ADMIN);
  }, startTimeout);
  afterAll(async () => {
    await started?.stop();
  }, stopTimeout);
  for (const scenario of scenarios) {
    it(scenario.name, () => scenario.run(call, ADMIN));
  }
}

describe('rabbitmq conformance: emulator', () => {
  suite(startEmulator, 10_000, 10_000);
});

const installed = realServerInstalled();
const inCi = Boolean(process.env.CI);
const REAL = 'rabbitmq conformance: real RabbitMQ 3.10.8';

if (installed) {
  describe(REAL, () => suite(startRealNode, REAL_START_MS, REAL_STOP_MS));
} else if (inCi) {
  // Each real-server scenario fails (not skips), naming the fix.
  describe(REAL, () => {
    for (const scenario of scenarios) {
      it(scenario.name, () => {
        throw new Error(`rabbitmq-server is not installed but CI is set: run ${INSTALL_SCRIPT} before the tests`);
      });
    }
  });
} else {
  describe.skip(`${REAL} (rabbitmq-server not installed: ${INSTALL_SCRIPT})`, () => suite(startRealNode, REAL_START_MS, REAL_STOP_MS));
}
