// Fleet listing benchmark: `cdm device list --all -o ndjson` over BENCH_DEVICES devices (default
// 100,000; BENCH_SIZES="10000,100000" lists after seeding each size in turn, to show whether memory
// grows with the fleet). The fleet is put into the sandbox with `cdm stack seed` (ThingsBoard
// device, latest telemetry and activity, hawkBit target, bridge record with WireGuard IP and
// certificate facts), so every column of the listing is filled from the three services.
//
// Reported per size, from one run: seeding time; the listing's wall time, rows/s and time to the
// first row (as the bench reads stdout); the CLI's peak RSS (GNU time's %M); and time per page —
// the intervals between successive ThingsBoard deviceInfos pages (100 devices each) completing in
// the sandbox's request log, i.e. what fetching and merging one page costs end to end (its
// ThingsBoard page, hawkBit targets, bridge records, 100 latest-telemetry calls); the CLI reads one
// page ahead, so this is the pace of the stream, not one page's latency. The requests each backend
// received during the listing are counted from the same log.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'cdm-bench-list-'));
const stateDir = join(home, 'sandbox');
const env = { ...process.env, CDM_CONFIG_DIR: join(home, 'config'), CDM_STATE_DIR: join(home, 'state'), CI: '1' };
const sizes = (process.env.BENCH_SIZES ?? process.env.BENCH_DEVICES ?? '100000').split(',').map(Number).sort((a, b) => a - b);
const cdm = (...args) => {
  const res = spawnSync(process.execPath, [join(root, 'bin/cdm.js'), ...args], { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (res.status !== 0) throw new Error(`cdm ${args.join(' ')}: ${res.stderr}`);
  return res.stdout;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Requests the sandbox logged between two instants: `[{ at, service, method, path }]`. */
function logged(from, to) {
  return readFileSync(join(stateDir, 'sandbox.log'), 'utf8').split('\n').flatMap((line) => {
    const [time, stack, service, method, path] = line.split(' ');
    const at = Date.parse(time);
    return stack === 'acme' && at >= from && at <= to ? [{ at, service, method, path }] : [];
  });
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function list(size) {
  const args = [join(root, 'bin/cdm.js'), 'device', 'list', '--all', '-o', 'ndjson', '--context', 'local-acme'];
  const gnu = existsSync('/usr/bin/time');
  const startedAt = Date.now();
  const child = gnu ? spawn('/usr/bin/time', ['-f', 'TIME %M', process.execPath, ...args], { env }) : spawn(process.execPath, args, { env });
  const start = performance.now();
  let first;
  let rows = 0;
  let err = '';
  child.stdout.on('data', (c) => {
    first ??= performance.now() - start;
    for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) rows++;
  });
  child.stderr.on('data', (c) => { err += c.toString(); });
  const code = await new Promise((r) => child.on('close', r));
  const ms = performance.now() - start;
  const endedAt = Date.now();
  if (code !== 0 || rows !== size) throw new Error(`device list: exit ${code}, ${rows}/${size} rows: ${err}`);
  const rss = /TIME (\d+)/.exec(err);
  await sleep(300); // the request log is a write stream
  const requests = logged(startedAt, endedAt + 1000);
  const pages = requests.filter((r) => r.service === 'thingsboard' && r.path === '/api/tenant/deviceInfos').map((r) => r.at);
  const perPage = pages.slice(1).map((at, i) => at - pages[i]).sort((a, b) => a - b);
  const byService = {};
  for (const r of requests) byService[r.service] = (byService[r.service] ?? 0) + 1;
  return { ms, first, rows, rssMb: rss ? Number(rss[1]) / 1024 : undefined, pages: pages.length, perPage, byService };
}

cdm('stack', 'up', '--detach', '--state-dir', stateDir, '--port-base', process.env.BENCH_PORT_BASE ?? '25400');
try {
  console.log(`device list bench: node ${process.version}, ${cpus().length} cores, sizes ${sizes.join(', ')}`);
  let seeded = 0;
  for (const [i, size] of sizes.entries()) {
    const t0 = performance.now();
    const added = size - seeded;
    // Each step adds the devices up to `size` under its own prefix (ids of a seed must be new).
    const seed = JSON.parse(cdm('stack', 'seed', '--tenant', 'acme', '--devices', String(added), '--prefix', `fleet${i + 1}-`, '--state-dir', stateDir, '-o', 'json'));
    const seedWall = performance.now() - t0;
    seeded = size;
    const r = await list(size);
    const p = r.perPage;
    console.log([
      `${size} devices`,
      `  seeded ${added} in ${seconds(seed.elapsedMs)} (sandbox) / ${seconds(seedWall)} (command)`,
      `  list --all -o ndjson: ${seconds(r.ms)}, ${(r.rows / (r.ms / 1000)).toFixed(0)} rows/s, first row after ${(r.first / 1000).toFixed(2)} s${r.rssMb ? `, CLI peak RSS ${r.rssMb.toFixed(0)} MB` : ''}`,
      p.length ? `  time per page of 100 (${r.pages} pages): median ${quantile(p, 0.5)} ms, p90 ${quantile(p, 0.9)} ms, p99 ${quantile(p, 0.99)} ms, max ${p.at(-1)} ms` : '  time per page: one page only',
      `  requests during the listing: ${Object.entries(r.byService).map(([s, n]) => `${s} ${n} (${(n / r.pages).toFixed(1)}/page)`).join(', ')}`,
    ].join('\n'));
  }
  console.log('budget (architecture.md): peak RSS ≤ 150 MB, streamed');
} finally {
  spawnSync(process.execPath, [join(root, 'bin/cdm.js'), 'stack', 'down', '--state-dir', stateDir], { env });
  rmSync(home, { recursive: true, force: true });
}
