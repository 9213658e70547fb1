// What the sandbox alone allows, to read bench/device-enroll.mjs against: the same 1,000
// enrollments (BENCH_DEVICES) at concurrency 16 against a sandbox started with `--latency 20`, sent
// by a minimal client that does nothing else. CSRs are made before the clock starts and no files
// are written. Reports the wall time against the same ideal (requests × 20 ms / 16), the client's
// CPU per enrollment, and the latency of each request: anything above the 20 ms that was injected
// is time spent inside the sandbox. On Linux also the sandbox's own CPU per enrollment, on its event
// loop and on its other threads (bench/proc-cpu.mjs). Build first.
import { spawnSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { Agent, request } from 'undici';
import { describeSandboxCpu, processCpu, sandboxPid } from './proc-cpu.mjs';

const root = new URL('..', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'cdm-bench-sandbox-'));
const env = { ...process.env, CDM_CONFIG_DIR: join(home, 'config'), CDM_STATE_DIR: join(home, 'state'), CI: '1' };
const devices = Number(process.env.BENCH_DEVICES ?? 1000);
// A full-size warm-up, as in bench/device-enroll.mjs: the measured run meets a settled sandbox.
const warmup = Number(process.env.BENCH_WARMUP ?? devices);
const latency = Number(process.env.BENCH_LATENCY ?? 20);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const portBase = Number(process.env.BENCH_PORT_BASE ?? 22600);
const cdm = (args) => {
  const res = spawnSync(process.execPath, [join(root, 'bin/cdm.js'), ...args], { env, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`cdm ${args.join(' ')}: exit ${res.status}: ${res.stderr}`);
  return res.stdout.trim();
};

x509.cryptoProvider.set(webcrypto);
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
async function csrs(prefix, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const id = `${prefix}-${String(i + 1).padStart(5, '0')}`;
    const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: `CN=${id}`, keys, signingAlgorithm: ALG, extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: id }])] });
    out.push({ id, csr: csr.toString('pem') });
  }
  return out;
}

cdm(['stack', 'up', '--detach', '--state-dir', join(home, 'sandbox'), '--port-base', String(portBase), '--latency', String(latency)]);
try {
  const context = JSON.parse(cdm(['context', 'show', 'local-acme', '-o', 'json']));
  const bridge = context.bridge.url;
  const token = cdm(['auth', 'token', '--context', 'local-acme']);
  const agent = new Agent({ connections: concurrency });
  const run = async (items) => {
    const latencies = [];
    let next = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const { id, csr } = items[next++];
        const sent = performance.now();
        const res = await request(`${bridge}/devices/${id}/enroll`, {
          dispatcher: agent, method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ csr, device_name: id, device_type: 'bench', wg_public_key: 'YmVuY2gtd2lyZWd1YXJkLXB1YmxpYy1rZXktMDAwMDA=' }),
        });
        const text = await res.body.text();
        if (res.statusCode !== 200) throw new Error(`${id}: HTTP ${res.statusCode} ${text}`);
        latencies.push(performance.now() - sent);
      }
    }));
    const cpu = process.cpuUsage(c0);
    return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, latencies: latencies.sort((a, b) => a - b) };
  };
  if (warmup > 0) await run(await csrs('warm', warmup));
  const items = await csrs('raw', devices);
  const pid = sandboxPid(join(home, 'sandbox'));
  const cpu0 = processCpu(pid);
  const r = await run(items);
  const sandboxCpu = describeSandboxCpu(cpu0, processCpu(pid), devices, 'enrollment');
  await agent.close();
  const idealMs = (devices * latency) / concurrency;
  const q = (f) => r.latencies[Math.floor(f * (r.latencies.length - 1))].toFixed(1);
  console.log(`sandbox enroll bench: node ${process.version}, ${cpus().length} cores, sandbox --latency ${latency}, warmed with ${warmup} devices`);
  console.log(`minimal client, concurrency ${concurrency}: ${devices} enrollments in ${(r.ms / 1000).toFixed(2)} s → ${(r.ms / idealMs).toFixed(2)}× the ideal ${(idealMs / 1000).toFixed(2)} s; client CPU ${(r.cpuMs / devices).toFixed(2)} ms/enrollment`);
  if (sandboxCpu) console.log(sandboxCpu);
  console.log(`request latency (ms): min ${q(0)}, p10 ${q(0.1)}, median ${q(0.5)}, p90 ${q(0.9)}, max ${q(1)} — ${latency} ms injected, the rest spent in the sandbox`);
} finally {
  spawnSync(process.execPath, [join(root, 'bin/cdm.js'), 'stack', 'down', '--state-dir', join(home, 'sandbox')], { env });
  rmSync(home, { recursive: true, force: true });
}
