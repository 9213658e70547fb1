// Simulator load benchmark: 1,000 simulated devices in the sandbox on this machine. Reports the
// enrollment time and whether the emulators still answer promptly under the fleet's load:
// p50/p95 latency of a ThingsBoard and a hawkBit request with the fleet running, against the same
// requests on the idle sandbox, measured in one run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'cdm-bench-sim-'));
const stateDir = join(home, 'sandbox');
const env = { ...process.env, CDM_CONFIG_DIR: join(home, 'config'), CDM_STATE_DIR: join(home, 'state'), CI: '1' };
const devices = Number(process.env.BENCH_DEVICES ?? 1000);
const poll = process.env.BENCH_POLL ?? '10s';
const cdm = (...args) => {
  const res = spawnSync(process.execPath, [join(root, 'bin/cdm.js'), ...args], { env, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`cdm ${args.join(' ')}: ${res.stderr}`);
  return res.stdout;
};

cdm('stack', 'up', '--detach', '--state-dir', stateDir, '--port-base', process.env.BENCH_PORT_BASE ?? '21400');
try {
  const info = JSON.parse(readFileSync(join(stateDir, 'sandbox.json'), 'utf8'));
  const secrets = JSON.parse(readFileSync(join(stateDir, 'secrets.json'), 'utf8'));
  const url = (s) => info.services.find((x) => x.stack === 'acme' && x.service === s).url;
  const hbAuth = `Basic ${Buffer.from(`admin:${secrets.tenants.acme.hawkbitPassword}`).toString('base64')}`;
  const tbLogin = await (await fetch(`${url('thingsboard')}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'tenant-admin@acme.example.com', password: secrets.tenants.acme.thingsboardPassword }) })).json();
  const probes = [
    () => fetch(`${url('thingsboard')}/api/tenant/deviceInfos?pageSize=10&page=0`, { headers: { 'x-authorization': `Bearer ${tbLogin.token}` } }),
    () => fetch(`${url('hawkbit')}/rest/v1/targets?limit=10`, { headers: { authorization: hbAuth } }),
  ];
  async function latencies(n) {
    const out = [];
    let failures = 0;
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      try {
        const res = await probes[i % probes.length]();
        await res.arrayBuffer();
        out.push(performance.now() - t0);
      } catch (err) {
        failures++;
        console.error(`probe failed: ${err.cause?.message ?? err.message}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    out.sort((a, b) => a - b);
    return { p50: out[Math.floor(out.length / 2)], p95: out[Math.floor(out.length * 0.95)], failures };
  }
  const idle = await latencies(100);
  const t0 = performance.now();
  cdm('stack', 'simulate', '--tenant', 'acme', '--devices', String(devices), '--poll', poll, '--state-dir', stateDir);
  const enrollS = (performance.now() - t0) / 1000;
  const busy = await latencies(200);
  const status = JSON.parse(cdm('stack', 'simulate', '--tenant', 'acme', '--stop', '--state-dir', stateDir, '-o', 'json'));
  const rss = spawnSync('ps', ['-o', 'rss=', '-p', String(info.pid)], { encoding: 'utf8' }).stdout.trim();
  console.log(`simulator: ${devices} devices, poll ${poll}, node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
  console.log(`enrollment of ${devices} devices: ${enrollS.toFixed(1)} s (${(devices / enrollS).toFixed(0)} devices/s)`);
  console.log(`polls completed while measuring: ${status.polls}, poll errors: ${status.pollErrors}`);
  console.log(`emulator latency idle   p50 ${idle.p50.toFixed(1)} ms  p95 ${idle.p95.toFixed(1)} ms`);
  console.log(`emulator latency fleet  p50 ${busy.p50.toFixed(1)} ms  p95 ${busy.p95.toFixed(1)} ms  (p95 ratio ${(busy.p95 / idle.p95).toFixed(2)}×), failed probes ${busy.failures}/${200}`);
  console.log(`sandbox process RSS after the run: ${(Number(rss) / 1024).toFixed(0)} MB`);
} finally {
  cdm('stack', 'down', '--state-dir', stateDir);
  rmSync(home, { recursive: true, force: true });
}
