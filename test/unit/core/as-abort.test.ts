import { describe, expect, it } from 'vitest';
import { CancelError, ExitCode, PartialFailure, PendingError, UsageError } from '../../../src/core/errors.js';
import { asAbort } from '../../../src/main.js';

describe('a verb that failed because it was interrupted', () => {
  it('keeps its report and hint under the interrupt\'s exit code', () => {
    const err = new PartialFailure('isolate of d1: step delete-hawkbit [hawkbit] failed: interrupted', { hint: 'run it again: 3 steps are recorded' });
    const out = asAbort(new CancelError('interrupted'), err) as CancelError;
    expect(out).toBeInstanceOf(CancelError);
    expect(out.exitCode).toBe(ExitCode.interrupted);
    expect(out.message).toBe('interrupted: isolate of d1: step delete-hawkbit [hawkbit] failed: interrupted');
    expect(out.hint).toBe('run it again: 3 steps are recorded');
    const timedOut = asAbort(new PendingError('timed out after 1s (--timeout)'), err) as PendingError;
    expect(timedOut.exitCode).toBe(ExitCode.pending);
  });

  it('leaves alone an error that already carries the exit code, or one that is not cdm\'s', () => {
    const same = new CancelError('interrupted: 5 devices enrolled');
    expect(asAbort(new CancelError('interrupted'), same)).toBe(same);
    const plain = new Error('boom');
    expect(asAbort(new CancelError('interrupted'), plain)).toBe(plain);
    const usage = new UsageError('bad');
    expect(asAbort(undefined, usage)).toBe(usage);
  });
});
