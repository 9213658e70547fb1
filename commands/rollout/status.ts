import type { ReadVerb } from '../../src/core/command-spec.js';
import { UsageError } from '../../src/core/errors.js';
import { parseInterval } from '../../src/core/parse.js';
import type { View } from '../../src/core/output.js';
import type { GroupProgress, RolloutStatusReport } from '../../src/workflows/rollout/status.js';

function bar(pct: number, width = 20): string {
  const filled = Math.round((Math.min(100, Math.max(0, pct)) / 100) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

export const GROUPS: View<GroupProgress> = [
  { header: 'Group', value: (g) => g.name },
  { header: 'Status', value: (g) => g.status },
  { header: 'Progress', value: (g) => `${bar(g.progress)} ${g.progress}%` },
  { header: 'Targets', value: (g) => g.totalTargets },
  { header: 'Finished', value: (g) => g.finished },
  { header: 'Errors', value: (g) => g.error },
  { header: 'Running', value: (g) => g.running },
  { header: 'Waiting', value: (g) => g.scheduled + g.notStarted },
  { header: 'After success', value: (g) => g.successAction, wide: true },
];

export const status: ReadVerb = {
  name: 'status',
  summary: 'A rollout with per-group progress; --watch follows it to the end',
  description: 'Shows the rollout and each deploy group: status, finished/error/running/waiting targets and a progress bar. --watch polls until the rollout ends: exit 0 when finished, 7 when paused on errors (a group breached its error threshold), 5 when stopped, 8 when paused without errors (held after a canary: run `cdm rollout expand`). --exit-status gives the same codes for the current state without watching (8 while it is still running). --pause-on-alarms (with --watch): on every poll, the devices the rollout has updated so far (actions finished or under way) are checked in ThingsBoard for ACTIVE alarms raised since the rollout started; the first one pauses the rollout in hawkBit, is named (device, type, severity) and ends the watch with exit 7 (phase paused-on-alarms; resume with `cdm rollout resume` or `expand` once handled). It reads two ThingsBoard requests per updated device per poll: use a longer --interval on large fleets. -o json: a RolloutStatus document (with --watch, the final one; pausedForAlarm names the device and alarm when --pause-on-alarms paused it).',
  args: [{ name: 'rollout', description: 'rollout id or name', required: true }],
  flags: [
    { flags: '--watch', description: 'poll until the rollout finishes, pauses or stops' },
    { flags: '--interval <duration>', description: 'polling interval of --watch (default 5s)', parse: parseInterval },
    { flags: '--exit-status', description: 'exit 0 finished, 7 paused on errors, 5 stopped, 8 still going or held' },
    { flags: '--pause-on-alarms', description: 'with --watch: pause the rollout (exit 7) when an updated device raises a ThingsBoard alarm' },
  ],
  examples: [
    { command: 'cdm rollout status fw-1.1', description: 'where each group stands' },
    { command: 'cdm rollout status 7 --watch --interval 10s && echo done', description: 'wait for the end in a script' },
    { command: 'cdm rollout status fw-1.1 --watch --pause-on-alarms', description: 'follow it and pause it if an updated device raises an alarm' },
  ],
  mutates: false,
  async run(ctx) {
    const fl = ctx.flags as { watch?: boolean; interval?: number; exitStatus?: boolean; pauseOnAlarms?: boolean };
    if (fl.pauseOnAlarms && !fl.watch) throw new UsageError('--pause-on-alarms only goes with --watch');
    const { rolloutStatus, watchStatus, exitFor } = await import('../../src/workflows/rollout/status.js');
    const { rolloutRef } = await import('../../src/workflows/rollout/resolve.js');
    const { hb, report } = await rolloutStatus(ctx.f, String(ctx.args.rollout));
    // Log into ThingsBoard before watching: a missing credential is refused up front.
    const guard = fl.pauseOnAlarms ? await (await import('../../src/workflows/rollout/watch-alarms.js')).AlarmGuard.open(ctx.f, hb) : undefined;
    const out = ctx.f.output();
    const show = async (r: RolloutStatusReport): Promise<void> => {
      if (out.machine) await out.item('RolloutStatus', r);
      else {
        out.note(`rollout ${r.name} (id ${r.id}): ${r.status}, ${r.totals.finished}/${r.totalTargets} finished, ${r.totals.error} failed`);
        await out.list('RolloutGroup', r.groups, GROUPS);
      }
    };
    if (!fl.watch) {
      await show(report);
      return fl.exitStatus ? exitFor(report.phase) : 0;
    }
    // Progress lines on stderr while watching; the final state is the data on stdout.
    const final = await watchStatus(ctx.f, hb, report, fl.interval ?? 5000, (r) => {
      out.note(`${r.status}: ${r.groups.map((g) => `${g.name} ${g.finished}/${g.totalTargets}${g.error ? ` (${g.error} failed)` : ''}`).join(', ')}`);
    }, guard);
    const trip = final.pausedForAlarm;
    if (trip) {
      const what = `alarm "${trip.type}" (${trip.severity}, raised ${trip.raisedAt}) on updated device ${trip.device}`;
      if (trip.action === 'paused') out.warn(`paused rollout ${final.name} (id ${final.id}): ${what}`);
      else out.warn(`${what}, but rollout ${final.name} was no longer running (${final.status}): not paused`);
    }
    await show(final);
    if (final.phase === 'paused') out.note(`rollout ${final.name} is paused without errors (held after a canary?): cdm rollout expand ${rolloutRef(final)}`);
    return exitFor(final.phase);
  },
};
