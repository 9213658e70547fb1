// Resumable multi-service operations on one device (isolate, delete): each finished step is
// recorded in `$CDM_STATE_DIR/devices/<context>/<operation>/<device>.json` as soon as it is done,
// so a re-run after a failure skips what already happened and retries the rest. The record is
// removed once every step has succeeded.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../config/atomic.js';
import { errorBody, NotFoundError } from '../../core/errors.js';
import { devicesStateDir } from './enrolled.js';

export type StepStatus = 'done' | 'skipped' | 'failed';

export interface StepReport {
  step: string;
  service: string;
  status: StepStatus;
  detail: string;
  /** True when a previous run finished the step. */
  resumed: boolean;
}

export interface StepRecord { status: 'done' | 'skipped'; at: string; detail: string }

export interface OperationState {
  device: string;
  operation: string;
  startedAt: string;
  /** Facts a later step needs after an earlier one removed their source (e.g. the serial). */
  facts: Record<string, string | null>;
  steps: Record<string, StepRecord>;
}

export class StepState {
  readonly file: string;
  state: OperationState;

  constructor(stateDir: string, context: string, operation: string, device: string, now: string) {
    const dir = join(devicesStateDir(stateDir, context), operation);
    this.file = join(dir, `${encodeURIComponent(device)}.json`);
    this.state = existsSync(this.file)
      ? (JSON.parse(readFileSync(this.file, 'utf8')) as OperationState)
      : { device, operation, startedAt: now, facts: {}, steps: {} };
  }

  get resuming(): boolean {
    return Object.keys(this.state.steps).length > 0 || Object.keys(this.state.facts).length > 0;
  }

  save(): void {
    mkdirSync(join(this.file, '..'), { recursive: true, mode: 0o700 });
    writeJsonAtomic(this.file, this.state);
  }

  finish(): void {
    rmSync(this.file, { force: true });
  }
}

export interface StepSpec {
  name: string;
  service: string;
  /** Returns what was done; `skipped: true` when there was nothing to do. NotFoundError = skipped. */
  run(): Promise<{ detail: string; skipped?: boolean }>;
}

/** Runs every step not finished before; failures are reported and do not stop later steps. */
export async function runSteps(s: StepState, steps: readonly StepSpec[], now: () => string): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  for (const step of steps) {
    const before = s.state.steps[step.name];
    if (before) {
      reports.push({ step: step.name, service: step.service, status: 'skipped', detail: `finished by an earlier run at ${before.at}: ${before.detail}`, resumed: true });
      continue;
    }
    try {
      const r = await step.run();
      const status = r.skipped ? 'skipped' : 'done';
      s.state.steps[step.name] = { status, at: now(), detail: r.detail };
      s.save();
      reports.push({ step: step.name, service: step.service, status, detail: r.detail, resumed: false });
    } catch (err) {
      if (err instanceof NotFoundError) {
        s.state.steps[step.name] = { status: 'skipped', at: now(), detail: `nothing to do: ${err.message}` };
        s.save();
        reports.push({ step: step.name, service: step.service, status: 'skipped', detail: `nothing to do: ${err.message}`, resumed: false });
        continue;
      }
      const e = errorBody(err);
      reports.push({ step: step.name, service: step.service, status: 'failed', detail: `${e.message}${e.hint ? ` (${e.hint})` : ''}`, resumed: false });
    }
  }
  if (reports.every((r) => r.status !== 'failed')) s.finish();
  return reports;
}
