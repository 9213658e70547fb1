// Bulk enrollment benchmark: `cdm device enroll --from-file` of BENCH_DEVICES (default 1,000)
// devices against a detached sandbox started with `--latency 20` (every answer to a client delayed
// 20 ms; the bridge's own calls to step-ca, hawkBit and ThingsBoard stay inside the stack), at
// --concurrency 16, against the ideal (cdm's requests × 20 ms / 16, the requests counted in the
// sandbox's request log) and against the same number of enrollments at --concurrency 1
// (BENCH_SERIAL_DEVICES, default BENCH_DEVICES), per device, in the same run. Build first.
//
// Before both runs, BENCH_WARMUP devices (default 3 × BENCH_DEVICES, not counted, enrolled in runs
// of BENCH_DEVICES) warm the freshly started sandbox's JIT, so that both measured runs meet the same
// settled sandbox. With a short warm-up (the default was 100) the first measured run, at
// concurrency 16, also paid the rest of the sandbox's JIT warm-up (0.3-0.5 s here) and the serial
// run after it did not, which skewed the ratio against the concurrent run; BENCH_WARMUP=100 shows
// it. One run of 1,000 was not enough either: with --trace-opt, V8 still optimised ~110 sandbox
// functions during the second run of 1,000, ~45 in the third, ~15 in the fourth and almost none
// after, and the sandbox's CPU per 1,000 enrollments went 3.5 s → 2.3 → 2.1 → 1.95 → 1.9 s. The device files (a
// directory and four files per device) go to BENCH_OUT_DIR, by default /dev/shm when the machine
// has one: on this project's VMs creating a file on the disk costs 0.15-0.6 ms of kernel time,
// which would measure the disk rather than cdm (BENCH_OUT_DIR=/tmp shows it). What the sandbox
// alone allows for the same enrollments, from a client that does nothing else, is in
// bench/sandbox-enroll.mjs. On Linux each run also reports the sandbox's CPU per device, on its event
// loop and on its other threads (bench/proc-cpu.mjs): with the CLI's own CPU, what the two processes
// ask of the machine's cores.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSandboxCpu, processCpu, sandboxPid } from './proc-cpu.mjs';

const root = new URL('..', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'cdm-bench-enroll-'));
const outBase = mkdtempSync(join(process.env.BENCH_OUT_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir()), 'cdm-bench-enroll-out-'));

// Also reported, as a separate figure: what the same enrollment costs an operator without the bulk
// form, one `cdm device enroll <id> --generate` process per device (BENCH_SINGLE_DEVICES of them).
const singleDevices = Number(process.env.BENCH_SINGLE_DEVICES ?? 20);
const stateDir = join(home, 'sandbox');
const env = { ...process.env, CDM_CONFIG_DIR: join(home, 'config'), CDM_STATE_DIR: join(home, 'state'), CI: '1' };
const devices = Number(process.env.BENCH_DEVICES ?? 1000);
const serialDevices = Number(process.env.BENCH_SERIAL_DEVICES ?? devices);
const warmup = Number(process.env.BENCH_WARMUP ?? 3 * devices);
const latency = Number(process.env.BENCH_LATENCY ?? 20);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
// GNU time, when present, reports the CLI's own CPU time and peak RSS (the sandbox is another process).
const gnuTime = existsSync('/usr/bin/time');
const cdm = (args, ok = [0]) => {
  const t0 = performance.now();
  const cmd = gnuTime ? ['/usr/bin/time', ['-f', 'TIME %U %S %M', process.execPath, join(root, 'bin/cdm.js'), ...args]] : [process.execPath, [join(root, 'bin/cdm.js'), ...args]];
  const res = spawnSync(cmd[0], cmd[1], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (!ok.includes(res.status)) throw new Error(`cdm ${args.join(' ')}: exit ${res.status}: ${res.stderr}`);
  const m = /TIME (\S+) (\S+) (\d+)/.exec(res.stderr ?? '');
  return { ms: performance.now() - t0, stdout: res.stdout, stderr: res.stderr, code: res.status, cpuS: m ? Number(m[1]) + Number(m[2]) : undefined, rssMb: m ? Number(m[3]) / 1024 : undefined };
};

cdm(['stack', 'up', '--detach', '--state-dir', stateDir, '--port-base', process.env.BENCH_PORT_BASE ?? '22400', '--latency', String(latency)]);
try {
  const log = join(stateDir, 'sandbox.log');
  const pid = sandboxPid(stateDir);
  const run = (prefix, n, conc) => {
    const csv = join(home, `${prefix}.csv`);
    writeFileSync(csv, ['id,name,type', ...Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(5, '0')},,bench`)].join('\n'));
    const logStart = statSync(log).size;
    const cpu0 = processCpu(pid);
    const r = cdm(['device', 'enroll', '--from-file', csv, '--out', join(outBase, prefix), '--concurrency', String(conc), '--context', 'local-acme']);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    r.sandboxCpu = describeSandboxCpu(cpu0, processCpu(pid), n, 'device');
    const enrolled = lines.filter((l) => l.outcome === 'enrolled').length;
    if (enrolled !== n) throw new Error(`${prefix}: ${enrolled}/${n} enrolled`);
    // The request log marks calls between a stack's services with a trailing "internal".
    const logged = readFileSync(log).subarray(logStart).toString('utf8').split('\n').filter(Boolean);
    r.requests = logged.filter((l) => !l.endsWith(' internal')).length;
    r.inner = logged.length - r.requests;
    return r;
  };
  const cpu = (r, n) => (r.cpuS === undefined ? '' : `; CLI CPU ${r.cpuS.toFixed(1)} s (${((r.cpuS * 1000) / n).toFixed(1)} ms/device), CLI peak RSS ${r.rssMb.toFixed(0)} MB`);
  for (let done = 0, round = 1; done < warmup; done += devices, round++) run(`warm${round}`, Math.min(devices, warmup - done), concurrency);
  // The CLI's own warm-up (start, login, token, sockets) is part of each run: both runs pay it once.
  const par = run('par', devices, concurrency);
  const ser = run('ser', serialDevices, 1);
  let singleMs = 0;
  for (let i = 1; i <= singleDevices; i++) {
    const id = `single-${String(i).padStart(5, '0')}`;
    singleMs += cdm(['device', 'enroll', id, '--generate', '--out', join(outBase, 'single', id), '--context', 'local-acme', '-o', 'json']).ms;
  }
  const parallelMs = par.ms;
  const serialMs = ser.ms;
  const idealMs = (par.requests * latency) / concurrency;
  const perParallel = parallelMs / devices;
  const perSerial = serialMs / serialDevices;
  console.log(`device enroll bench: node ${process.version}, ${cpus().length} cores, sandbox --latency ${latency}, device files in ${outBase}, sandbox warmed with ${warmup} devices`);
  console.log(`--concurrency ${concurrency}: ${devices} devices in ${(parallelMs / 1000).toFixed(1)} s (${(devices / (parallelMs / 1000)).toFixed(1)} devices/s, ${perParallel.toFixed(1)} ms/device${cpu(par, devices)})`);
  if (par.sandboxCpu) console.log(`  ${par.sandboxCpu}`);
  console.log(`cdm's requests: ${par.requests} (${(par.requests / devices).toFixed(2)} per device; the stack made ${par.inner} calls inside itself)`);
  console.log(`ideal (requests × ${latency} ms / ${concurrency}): ${(idealMs / 1000).toFixed(2)} s → measured/ideal ${(parallelMs / idealMs).toFixed(2)}× (budget ≤ 1.3×)`);
  console.log(`--concurrency 1: ${serialDevices} devices in ${(serialMs / 1000).toFixed(1)} s (${perSerial.toFixed(1)} ms/device${cpu(ser, serialDevices)})`);
  if (ser.sandboxCpu) console.log(`  ${ser.sandboxCpu}`);
  console.log(`speed-up per device, concurrency ${concurrency} vs 1: ${(perSerial / perParallel).toFixed(1)}× (budget ≥ 10×)`);
  if (singleDevices > 0) {
    const perSingle = singleMs / singleDevices;
    console.log(`separately, one \`cdm device enroll <id> --generate\` process per device: ${perSingle.toFixed(1)} ms/device over ${singleDevices} → the bulk run is ${(perSingle / perParallel).toFixed(0)}× faster per device`);
  }
  console.log('note: the sandbox contexts have no client-side rate limit (others: 50 req/s unless CDM_RATE_LIMIT or the context says otherwise)');
} finally {
  cdm(['stack', 'down', '--state-dir', stateDir], [0, 1]);
  // Thousands of small files left in /tmp slow the next run's file creation on this disk.
  rmSync(home, { recursive: true, force: true });
  rmSync(outBase, { recursive: true, force: true });
}
