// The host key rules without a network: ssh2 hands the verifier the key blob, as here.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CdmError, UsageError } from '../../../src/core/errors.js';
import { NoInputPrompter, type Prompter } from '../../../src/core/prompter.js';
import { HostKeyPolicy, type HostTarget } from '../../../src/ssh/host-key-policy.js';
import { KnownHostsFile, knownHostsPath } from '../../../src/ssh/known-hosts-file.js';
import { tempDir } from '../../helpers/temp.js';

const ED = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAICeN7WkAFp7jSuucuqGLccQ5HMGvVvThxxV9Q+p385pb', 'base64');
const OTHER = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIDpQz9UH6XaUizq5kW5AKzyKHRA9QJ8ivjOJsUohbn6S', 'base64');
const DEV: HostTarget = { host: '10.8.0.5', port: 22, label: 'device dev-1', comment: 'cdm device dev-1' };

function setup(opts: { acceptNew?: boolean; prompter?: Prompter } = {}) {
  const dir = tempDir('cdm-kh-');
  const file = new KnownHostsFile(knownHostsPath(dir, 'acme'));
  const warnings: string[] = [];
  const notes: string[] = [];
  const policy = new HostKeyPolicy({ file, acceptNew: opts.acceptNew ?? false, prompter: opts.prompter ?? new NoInputPrompter('not a terminal'), warn: (l) => warnings.push(l), note: (l) => notes.push(l) });
  return { dir, file, policy, warnings, notes };
}

function verify(policy: HostKeyPolicy, target: HostTarget, blob: Buffer): Promise<{ ok: boolean; refusal: CdmError | undefined }> {
  const v = policy.verifier(target);
  return new Promise((resolve) => v.verify(blob, (ok) => resolve({ ok, refusal: v.refusal() })));
}

function askingPrompter(answer: boolean, asked: string[]): Prompter {
  const refuse = () => Promise.reject(new Error('unexpected question'));
  return {
    interactive: true,
    confirm: async (message) => { asked.push(message); await new Promise((r) => setTimeout(r, 10)); return answer; },
    select: refuse, input: refuse, password: refuse, confirmTyped: refuse,
  };
}

describe('host key policy', () => {
  it('lives in <configDir>/known_hosts/<context>', () => {
    expect(knownHostsPath('/cfg', 'acme')).toBe('/cfg/known_hosts/acme');
    expect(knownHostsPath('/cfg', undefined)).toBe('/cfg/known_hosts/_none');
  });

  it('first contact without a terminal: refused with exit 2 naming --accept-new-host-key; nothing written', async () => {
    const { policy, file } = setup();
    const r = await verify(policy, DEV, ED);
    expect(r.ok).toBe(false);
    expect(r.refusal).toBeInstanceOf(UsageError);
    expect(r.refusal!.message).toContain('--accept-new-host-key');
    expect(r.refusal!.message).toContain('SHA256:5iOG7Y7MUN6JPnS/ykYon4/InGXensBRmJZOygxdZac');
    expect(file.entries()).toEqual([]);
  });

  it('--accept-new-host-key records the key (0600, OpenSSH format, device named) and then knows it', async () => {
    const { policy, file, notes } = setup({ acceptNew: true });
    expect((await verify(policy, DEV, ED)).ok).toBe(true);
    expect(readFileSync(file.path, 'utf8')).toBe(`10.8.0.5 ssh-ed25519 ${ED.toString('base64')} cdm device dev-1\n`);
    expect(notes[0]).toContain('Recorded the ED25519 host key of device dev-1');
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect((await verify(new HostKeyPolicy({ file, acceptNew: false, prompter: new NoInputPrompter('x'), warn: () => {}, note: () => {} }), DEV, ED)).ok).toBe(true);
  });

  it('a CHANGED key is refused even with --accept-new-host-key: exit 1, loud, naming file and line', async () => {
    const { policy, file, warnings } = setup({ acceptNew: true });
    file.append('# first line is a comment');
    file.append(`10.8.0.5 ssh-ed25519 ${OTHER.toString('base64')} cdm device dev-1`);
    const r = await verify(policy, DEV, ED);
    expect(r.ok).toBe(false);
    expect(r.refusal).toBeInstanceOf(CdmError);
    expect(r.refusal!.exitCode).toBe(1);
    expect(r.refusal!.message).toContain(`${file.path}:2`);
    expect(r.refusal!.hint).toContain(`ssh-keygen -R '10.8.0.5' -f ${file.path}`);
    expect(warnings.join('\n')).toMatch(/HOST KEY OF DEVICE DEV-1 HAS CHANGED[\s\S]*line 2/);
    expect(file.entries()).toHaveLength(1);
  });

  it('a @revoked key is refused', async () => {
    const { policy, file } = setup({ acceptNew: true });
    file.append(`@revoked * ssh-ed25519 ${ED.toString('base64')}`);
    const r = await verify(policy, DEV, ED);
    expect(r.ok).toBe(false);
    expect(r.refusal!.message).toContain('@revoked');
  });

  it('on a terminal it asks with the fingerprint; yes records, no refuses', async () => {
    const asked: string[] = [];
    const yes = setup({ prompter: askingPrompter(true, asked) });
    expect((await verify(yes.policy, DEV, ED)).ok).toBe(true);
    expect(asked[0]).toContain('ED25519 key fingerprint is SHA256:5iOG7Y7MUN6JPnS/ykYon4/InGXensBRmJZOygxdZac');
    expect(yes.file.entries()).toHaveLength(1);
    const no = setup({ prompter: askingPrompter(false, []) });
    const r = await verify(no.policy, DEV, ED);
    expect(r.ok).toBe(false);
    expect(r.refusal!.message).toContain('not accepted');
    expect(no.file.entries()).toEqual([]);
  });

  it('asks once when several connections meet the same new host at the same time', async () => {
    const asked: string[] = [];
    const { policy, file } = setup({ prompter: askingPrompter(true, asked) });
    const results = await Promise.all([verify(policy, DEV, ED), verify(policy, DEV, ED), verify(policy, DEV, ED)]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(asked).toHaveLength(1);
    expect(file.entries()).toHaveLength(1);
  });

  it('offers recorded key types first in the handshake', () => {
    const { policy, file } = setup();
    expect(policy.algorithms(DEV)[0]).toBe('ssh-ed25519');
    file.append(`10.8.0.5 ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ==`);
    expect(policy.algorithms(DEV).slice(0, 3)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  });

  it('does not glue its line onto a hand-edited file without a final newline', () => {
    const { file } = setup();
    file.append('10.8.0.9 ssh-ed25519 AAAA');
    writeFileSync(file.path, readFileSync(file.path, 'utf8').trimEnd());
    file.append(`10.8.0.5 ssh-ed25519 ${ED.toString('base64')}`);
    expect(file.entries().map((e) => e.hosts)).toEqual(['10.8.0.9', '10.8.0.5']);
  });
});
