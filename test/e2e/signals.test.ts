// The built binary under the signals a shell and a CI runner send: the command stops cleanly and
// says so, instead of Node ending the process without a word (its default for SIGTERM).
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempConfigEnv } from '../helpers/run-cli.js';

const BIN = join(import.meta.dirname, '../../bin/cdm.js');

describe.each([['SIGTERM', 'terminated (SIGTERM)'], ['SIGINT', 'interrupted']] as const)('cdm receiving %s mid-request', (signal, message) => {
  it(`exits 130 with "error: ${message}"`, async () => {
    let arrived: (r: IncomingMessage) => void = () => undefined;
    const request = new Promise<IncomingMessage>((r) => { arrived = r; });
    const server = createServer((req) => arrived(req)); // never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const env = tempConfigEnv();
    await runCli(['context', 'add', 'p', '--kind', 'provider', '--keycloak-url', `http://127.0.0.1:${(server.address() as AddressInfo).port}`, '--use'], { env });
    const child = spawn(process.execPath, [BIN, 'auth', 'login', '--username', 'u', '--password-stdin'], { env: { ...process.env, ...env, CI: '1' } });
    child.stdin.end('pw');
    let stderr = '';
    child.stderr.on('data', (c) => { stderr += c; });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await request;
    child.kill(signal);
    const code = await exited;
    server.closeAllConnections();
    server.close();
    expect([code, stderr]).toEqual([130, `error: ${message}\n`]);
  });
});
