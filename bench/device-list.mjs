// Fleet listing benchmark: `cdm device list --all -o ndjson` over BENCH_DEVICES devices (default
// 2,000; BENCH_SIZES="500,2000" runs several sizes in one run to show whether memory grows with
// the fleet). The fleet is seeded straight into the sandbox's ThingsBoard (device + latest
// telemetry) and hawkBit (targets), not through enrollment, so seeding stays fast; the bridge holds
// none of them (their WireGuard columns are empty, one paged bridge call is still made).
// Reports wall time, time to the first row (streaming), rows/s, and the CLI's peak RSS (GNU time).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'cdm-bench-list-'));
const stateDir = join(home, 'sandbox');
const env = { ...process.env, CDM_CONFIG_DIR: join(home, 'config'), CDM_STATE_DIR: join(home, 'state'), CI: '1' };
const sizes = (process.env.BENCH_SIZES ?? process.env.BENCH_DEVICES ?? '2000').split(',').map(Number).sort((a, b) => a - b);
const cdm = (...args) => {
  const res = spawnSync(process.execPath, [join(root, 'bin/cdm.js'), ...args], { env, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`cdm ${args.join(' ')}: ${res.stderr}`);
  return res.stdout;
};

async function pool(n, conc, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: conc }, async () => { for (let i; (i = next++) < n;) await fn(i); }));
}

cdm('stack', 'up', '--detach', '--state-dir', stateDir, '--port-base', process.env.BENCH_PORT_BASE ?? '25400');
try {
  const info = JSON.parse(readFileSync(join(stateDir, 'sandbox.json'), 'utf8'));
  const secrets = JSON.parse(readFileSync(join(stateDir, 'secrets.json'), 'utf8'));
  const url = (s) => info.services.find((x) => x.stack === 'acme' && x.service === s).url;
  const hbAuth = `Basic ${Buffer.from(`admin:${secrets.tenants.acme.hawkbitPassword}`).toString('base64')}`;
  const login = await (await fetch(`${url('thingsboard')}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'tenant-admin@acme.example.com', password: secrets.tenants.acme.thingsboardPassword }) })).json();
  const tb = async (method, path, body) => {
    const res = await fetch(`${url('thingsboard')}${path}`, { method, headers: { 'x-authorization': `Bearer ${login.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  };
  console.log(`device list bench: node ${process.version}, ${cpus().length} cores`);
  let seeded = 0;
  for (const size of sizes) {
    const t0 = performance.now();
    const from = seeded;
    await pool(size - from, 16, async (k) => {
      const i = from + k;
      const id = `fleet-${String(i + 1).padStart(6, '0')}`;
      const d = await tb('POST', '/api/device', { name: id, type: 'bench' });
      await tb('POST', `/api/plugins/telemetry/DEVICE/${d.id.id}/timeseries/ANY`, { cpu_percent: (i * 7) % 100, disk_percent: (i * 13) % 100, sw_version: '1.0.0' });
    });
    for (let i = from; i < size; i += 100) {
      const batch = Array.from({ length: Math.min(100, size - i) }, (_, k) => ({ controllerId: `fleet-${String(i + k + 1).padStart(6, '0')}`, name: `fleet-${i + k + 1}` }));
      const res = await fetch(`${url('hawkbit')}/rest/v1/targets`, { method: 'POST', headers: { authorization: hbAuth, 'content-type': 'application/json' }, body: JSON.stringify(batch) });
      if (res.status !== 201) throw new Error(`hawkBit targets: ${res.status} ${await res.text()}`);
    }
    seeded = size;
    const seedS = (performance.now() - t0) / 1000;

    const args = [join(root, 'bin/cdm.js'), 'device', 'list', '--all', '-o', 'ndjson', '--context', 'local-acme'];
    const gnu = existsSync('/usr/bin/time');
    const child = gnu ? spawn('/usr/bin/time', ['-f', 'TIME %M', process.execPath, ...args], { env }) : spawn(process.execPath, args, { env });
    const start = performance.now();
    let first;
    let rows = 0;
    let tail = '';
    let err = '';
    child.stdout.on('data', (c) => {
      first ??= performance.now() - start;
      const text = tail + c.toString();
      const lines = text.split('\n');
      tail = lines.pop();
      rows += lines.length;
    });
    child.stderr.on('data', (c) => { err += c.toString(); });
    const code = await new Promise((r) => child.on('close', r));
    const ms = performance.now() - start;
    if (code !== 0 || rows !== size) throw new Error(`device list: exit ${code}, ${rows}/${size} rows: ${err}`);
    const rss = /TIME (\d+)/.exec(err);
    console.log(`${size} devices (seeded in ${seedS.toFixed(1)} s): list --all -o ndjson ${(ms / 1000).toFixed(1)} s, ${(size / (ms / 1000)).toFixed(0)} rows/s, first row after ${(first / 1000).toFixed(2)} s${rss ? `, CLI peak RSS ${(Number(rss[1]) / 1024).toFixed(0)} MB` : ''}`);
  }
  console.log('note: one ThingsBoard telemetry call per device (ThingsBoard REST has no bulk latest-values call the emulator serves) under the CLI client\'s default 20 requests/s limit: ≈ 20 rows/s, so 100,000 devices would take ≈ 85 min');
} finally {
  spawnSync(process.execPath, [join(root, 'bin/cdm.js'), 'stack', 'down', '--state-dir', stateDir], { env });
}
