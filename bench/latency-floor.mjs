// The floor under bench/device-enroll.mjs's ratio: what this machine allows for BENCH_DEVICES
// (default 1,000) requests at concurrency 16 against answers held BENCH_LATENCY (20) ms, when
// neither side does any work. A server in this process reads each request body and holds a fixed
// answer of an enrollment's size for the latency (as `cdm stack up --latency` does); a minimal undici
// client in a child process sends enrollment-sized bodies. Whatever the ratio to the ideal
// (requests × latency / concurrency) is here, timers, sockets and the scheduler cost it, not cdm.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { cpus } from 'node:os';

const devices = Number(process.env.BENCH_DEVICES ?? 1000);
const latency = Number(process.env.BENCH_LATENCY ?? 20);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
// An enrollment answer: certificate, CA chain, address and WireGuard config (~3 KB of JSON).
const answer = JSON.stringify({ certificate: 'c'.repeat(900), ca_chain: 'a'.repeat(1500), wireguard_ip: '10.8.0.2', wireguard_config: 'w'.repeat(350) });

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => setTimeout(() => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  }, latency));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/devices/x/enroll`;

// The client runs in its own process, as cdm does, so the server's event loop is not its own.
const client = `
  import { Agent, request } from 'undici';
  const [url, n, conc] = process.argv.slice(1);
  const agent = new Agent({ connections: Number(conc) });
  const body = JSON.stringify({ csr: 'r'.repeat(620), device_name: 'x', device_type: 'bench', wg_public_key: 'k'.repeat(44) });
  const send = async () => {
    const res = await request(url, { dispatcher: agent, method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + 't'.repeat(900) }, body });
    JSON.parse(await res.body.text());
  };
  for (let i = 0; i < 100; i++) await send();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Number(conc) }, async () => { while (next++ < Number(n)) await send(); }));
  console.log(performance.now() - t0);
  await agent.close();
`;
// Not spawnSync: it would block this process, whose event loop is the server.
const run = () => new Promise((resolve, reject) => {
  const child = spawn(process.execPath, ['--input-type=module', '-e', client, url, String(devices), String(concurrency)], { cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.on('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`client exited ${code}`))));
});
try {
  const ms = await run();
  const idealMs = (devices * latency) / concurrency;
  console.log(`latency floor bench: node ${process.version}, ${cpus().length} cores, answers held ${latency} ms, concurrency ${concurrency}`);
  console.log(`${devices} do-nothing requests in ${(ms / 1000).toFixed(2)} s → ${(ms / idealMs).toFixed(2)}× the ideal ${(idealMs / 1000).toFixed(2)} s (the floor for bench/device-enroll.mjs's ratio on this machine)`);
} finally {
  server.close();
}
