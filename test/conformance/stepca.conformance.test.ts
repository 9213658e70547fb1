// step-ca conformance: the same scenarios against the sandbox emulator (in its '0.19' mode) and
// against a real step-ca 0.19. Without the real binary the real target is skipped locally and
// fails in CI (process.env.CI), where scripts/real-servers/stepca-install.sh and
// stepca-build.sh must have run.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe } from 'vitest';
import { MISSING_BINARY_MESSAGE, startEmulatorTarget, startRealTarget, STEP_CA_BIN, type StepCaTarget } from '../helpers/stepca-target.js';
import { defineStepCaScenarios } from './stepca-scenarios.js';

function targetSuite(start: () => Promise<StepCaTarget>): void {
  let target: StepCaTarget | undefined;
  beforeAll(async () => { target = await start(); }, 60_000);
  afterAll(async () => { await target?.close(); }, 30_000);
  defineStepCaScenarios(() => {
    if (!target) throw new Error('step-ca target did not start');
    return target;
  });
}

describe('step-ca conformance: emulator (0.19 mode)', () => {
  targetSuite(() => startEmulatorTarget({ version: '0.19' }));
});

const realPresent = existsSync(STEP_CA_BIN);
describe.skipIf(!realPresent && !process.env.CI)('step-ca conformance: real step-ca 0.19', () => {
  if (!realPresent) {
    beforeAll(() => { throw new Error(MISSING_BINARY_MESSAGE); });
  }
  targetSuite(() => startRealTarget('provider'));
});
