// cdm's own files changed by two processes at once: each store read its file when the command
// started and wrote its copy back whole, so the later writer dropped the other's change. Two store
// instances on one file stand for the two processes here; a held lock file for one mid-change.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContextStore } from '../../../src/config/contexts.js';
import { CredentialStore } from '../../../src/config/credentials.js';
import { withFileLock } from '../../../src/config/file-lock.js';
import { resolvePaths } from '../../../src/config/paths.js';
import { Inventory } from '../../../src/services/stepca/inventory.js';
import { tempDir } from '../../helpers/temp.js';

const paths = () => resolvePaths({ HOME: '/nonexistent', CDM_CONFIG_DIR: join(tempDir('cdm-stores-'), 'config'), CDM_STATE_DIR: join(tempDir('cdm-stores-'), 'state') });
const record = (serial: string) => ({ serial, serialHex: serial, commonName: `cn-${serial}`, sans: [], notBefore: null, notAfter: null, isCA: false, provisioner: null, source: 'issue' as const, recordedAt: '2026-12-07T00:00:00.000Z' });
const tokens = (accessToken: string) => ({ grant: 'client_credentials' as const, clientId: 'ci', accessToken, expiresAt: 1, tokenEndpoint: 'http://127.0.0.1:9/token' });

describe('stores changed by two cdm processes at once keep both changes', () => {
  it('certificate inventory: two issues recorded by processes that opened it before either wrote', () => {
    const p = paths();
    const first = Inventory.open(p.stateDir, 'acme');
    const second = Inventory.open(p.stateDir, 'acme');
    first.put(record('1'));
    second.put(record('2'));
    second.update('1', { renewedBy: '2' });
    expect(Inventory.open(p.stateDir, 'acme').all().map((r) => [r.serial, r.renewedBy])).toEqual([['1', '2'], ['2', undefined]]);
  });

  it('credentials: a token refresh does not drop a credential stored meanwhile', () => {
    const p = paths();
    const watching = new CredentialStore(p);
    new CredentialStore(p).setService('acme', 'stepca', { username: 'iot-bridge', secret: 'pw' });
    watching.setTokens('acme', tokens('refreshed'));
    const now = new CredentialStore(p);
    expect(now.service('acme', 'stepca')).toEqual({ username: 'iot-bridge', secret: 'pw' });
    expect(now.tokens('acme')?.accessToken).toBe('refreshed');
  });

  it('a change that changes nothing writes nothing (removing the credentials of a context that has none)', () => {
    const p = paths();
    const store = new CredentialStore(p);
    store.removeContext('never-logged-in');
    store.rename('never-logged-in', 'other');
    expect(existsSync(p.credentialsFile)).toBe(false);
    Inventory.open(p.stateDir, 'acme').update('404', { renewedBy: '1' });
    expect(existsSync(join(p.stateDir, 'pki', 'acme.json'))).toBe(false);
  });

  it('contexts: two adds both land, and a duplicate name is refused against the file as it is now', async () => {
    const p = paths();
    const a = await ContextStore.open(p);
    const b = await ContextStore.open(p);
    a.add('one', { type: 'provider' });
    b.add('two', { type: 'provider' });
    expect(() => b.add('one', { type: 'tenant', tenant: 'x' })).toThrow(/already exists/);
    expect((await ContextStore.open(p)).list().map((c) => [c.name, c.type])).toEqual([['one', 'provider'], ['two', 'provider']]);
  });
});

describe('withFileLock', () => {
  it('waits while another process holds the lock, and removes its own afterwards', () => {
    const dir = tempDir('cdm-lock-');
    const file = join(dir, 'f.json');
    const marker = join(dir, 'released');
    writeFileSync(`${file}.lock`, '');
    // The holder finishes its change (the marker) before it lets go of the lock.
    spawn(process.execPath, ['-e', `setTimeout(() => { require('fs').writeFileSync(${JSON.stringify(marker)}, ''); require('fs').unlinkSync(${JSON.stringify(`${file}.lock`)}); }, 200)`]);
    expect(withFileLock(file, () => existsSync(marker))).toBe(true);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('takes over a lock left by a process that died holding it', () => {
    const dir = tempDir('cdm-lock-');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'f.json');
    writeFileSync(`${file}.lock`, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    expect(withFileLock(file, () => { writeFileSync(file, 'changed'); return 1; })).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe('changed');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
