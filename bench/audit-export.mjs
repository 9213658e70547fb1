// Benchmark of `cdm audit export` (architecture.md budget: ≥ 100k events/s locally, flat memory).
// Seeds N events (default 1,000,000) split between two local sources that need no server: cdm's
// journal (<state>/journal.ndjson) and a step-ca request log in step-ca's logrus format (issue and
// revoke lines, interleaved in time with the journal and padded with /health lines the reader must
// skip), then runs the built CLI as a user would and measures wall time, events/s and peak RSS
// (VmHWM of the child, read from /proc). A run over a tenth of the events shows whether memory
// grows with the timeline. Usage: npm run build && node bench/audit-export.mjs [events] [--csv]
// (BENCH_CPU_PROF=<dir> writes a CPU profile of each cdm run there).
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin/cdm.js');
if (!existsSync(join(root, 'dist'))) {
  console.error('build first: npm run build');
  process.exit(1);
}
const total = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const format = process.argv.includes('--csv') ? 'csv' : 'ndjson';

async function writeLines(file, n, line) {
  const out = createWriteStream(file);
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += line(i);
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise((r) => out.end(r));
}

const goTime = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function seed(n) {
  const dir = mkdtempSync(join(tmpdir(), 'cdm-audit-bench-'));
  const state = join(dir, 'state');
  await import('node:fs').then((fs) => fs.mkdirSync(state, { recursive: true }));
  const start = Date.parse('2026-01-01T00:00:00Z');
  const half = Math.floor(n / 2);
  // Journal: one entry every 2 s (even seconds).
  await writeLines(join(state, 'journal.ndjson'), half, (i) => `${JSON.stringify({
    time: new Date(start + i * 2000).toISOString(), correlationId: `c${i}`, actor: i % 7 === 0 ? 'alice' : 'bob',
    context: 'prod-acme', command: i % 3 === 0 ? 'cdm cert revoke' : 'cdm device enroll', targets: [`sensor-${i % 5000}`],
    outcome: i % 50 === 0 ? 'failure' : 'success', exitCode: i % 50 === 0 ? 1 : 0,
  })}\n`);
  // step-ca: one issue/revoke line every 2 s (odd seconds), and a /health line between them.
  const cert = 'MIIB'.padEnd(600, 'A');
  await writeLines(join(dir, 'step-ca.log'), (n - half) * 2, (j) => {
    const i = j >> 1;
    const t = goTime(start + i * 2000 + 1000);
    if (j % 2 === 1) return `time="${t}" level=info duration=0.1ms method=GET path=/health status=200 size=16\n`;
    return i % 10 === 0
      ? `time="${t}" level=info duration=1.2ms method=POST mTLS=false passiveOnly=true path=/1.0/revoke reason=superseded reasonCode=4 "remote-address"=10.0.0.5 serial=${1000 + i} status=200\n`
      : `time="${t}" level=info certificate=${cert} duration=2.2ms issuer="Acme Issuing CA" method=POST path=/1.0/sign provisioner="iot-bridge (kid123)" "public-key"="ECDSA P-256" "remote-address"=10.0.0.5 serial=${1000 + i} status=201 subject=sensor-${i % 5000} "valid-from"=${t} "valid-to"=${t}\n`;
  });
  return { dir, state, log: join(dir, 'step-ca.log') };
}

function run(seeded) {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH, HOME: seeded.dir, CDM_CONFIG_DIR: join(seeded.dir, 'config'), CDM_STATE_DIR: seeded.state, CI: '1' };
    const t0 = process.hrtime.bigint();
    const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const child = spawn(process.execPath, [...prof, bin, 'audit', 'export', '--source', 'cdm,step-ca', '--step-ca-log', seeded.log, '--format', format], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0, bytes = 0, peakKb = 0, stderr = '';
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch { /* exited */ }
    }, 20);
    child.stdout.on('data', (c) => {
      bytes += c.length;
      for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) lines++;
    });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0) reject(new Error(`cdm exited ${code}: ${stderr}`));
      else resolve({ seconds: s, events: lines - (format === 'csv' ? 1 : 0), bytes, peakMb: peakKb / 1024 });
    });
  });
}

const rows = [];
for (const n of [Math.floor(total / 10), total]) {
  const seeded = await seed(n);
  const r = await run(seeded);
  rmSync(seeded.dir, { recursive: true, force: true });
  if (r.events !== n) throw new Error(`expected ${n} events, got ${r.events}`);
  rows.push({ events: n, ...r, rate: r.events / r.seconds });
}
console.log(`cdm audit export --format ${format} (journal + step-ca log, merged), node ${process.version}`);
for (const r of rows) {
  console.log(`  ${String(r.events).padStart(9)} events  ${r.seconds.toFixed(2).padStart(6)} s  ${Math.round(r.rate).toLocaleString('en').padStart(9)} events/s  ${(r.bytes / 1e6).toFixed(0).padStart(5)} MB out  peak RSS ${r.peakMb.toFixed(0)} MB`);
}
const [small, big] = rows;
const rateOk = big.rate >= 100_000;
const flat = big.peakMb <= small.peakMb * 1.5 + 10;
console.log(`budget ≥ 100,000 events/s: ${rateOk ? 'met' : 'MISSED'} (${Math.round(big.rate).toLocaleString('en')}); memory flat (peak at ${big.events} ≤ 1.5 × peak at ${small.events} + 10 MB): ${flat ? 'yes' : 'NO'}`);
process.exitCode = rateOk && flat ? 0 : 1;
