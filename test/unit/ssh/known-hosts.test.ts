// known_hosts as OpenSSH reads and writes it: plain, bracketed ports, patterns, negation, hashed
// entries (the hashed line below was made by `ssh-keygen -H`), markers, and what a key means.
import { describe, expect, it } from 'vitest';
import { checkHostKey, entryMatchesHost, formatKnownHostsLine, hostKeyName, knownKeyTypes, parseKnownHosts } from '../../../src/ssh/known-hosts.js';

const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAICeN7WkAFp7jSuucuqGLccQ5HMGvVvThxxV9Q+p385pb';
const EC = 'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBA0dVRY7s6OGM1338yzI37WbYeT9k39tJJUyXtsLFaPU1rRmKQCEwmiNrhlTpI9bF5v9fQ5lUCiR2WdsCN32Ju0=';
const OTHER = 'AAAAC3NzaC1lZDI1NTE5AAAAIDpQz9UH6XaUizq5kW5AKzyKHRA9QJ8ivjOJsUohbn6S';

describe('known_hosts parsing', () => {
  it('reads entries with their line numbers, markers and comments; skips comments, blanks and junk', () => {
    const text = [
      '# cdm known hosts',
      '',
      `10.8.0.5 ssh-ed25519 ${ED} cdm device dev-1`,
      'garbage-without-key',
      `@revoked [10.8.0.6]:2222 ssh-ed25519 ${OTHER}`,
      `@cert-authority *.acme.example ssh-ed25519 ${OTHER}`,
      `jump.acme.example ecdsa-sha2-nistp256 ${EC}`,
    ].join('\n');
    const entries = parseKnownHosts(text);
    expect(entries.map((e) => [e.line, e.marker ?? null, e.hosts, e.keyType, e.comment ?? null])).toEqual([
      [3, null, '10.8.0.5', 'ssh-ed25519', 'cdm device dev-1'],
      [5, '@revoked', '[10.8.0.6]:2222', 'ssh-ed25519', null],
      [6, '@cert-authority', '*.acme.example', 'ssh-ed25519', null],
      [7, null, 'jump.acme.example', 'ecdsa-sha2-nistp256', null],
    ]);
  });

  it('names hosts as OpenSSH does: plain on port 22, [host]:port elsewhere', () => {
    expect(hostKeyName('10.8.0.5', 22)).toBe('10.8.0.5');
    expect(hostKeyName('10.8.0.5', 2222)).toBe('[10.8.0.5]:2222');
    expect(formatKnownHostsLine('10.8.0.5', 2222, 'ssh-ed25519', ED, 'cdm device dev-1')).toBe(`[10.8.0.5]:2222 ssh-ed25519 ${ED} cdm device dev-1`);
    expect(formatKnownHostsLine('10.8.0.5', 22, 'ssh-ed25519', ED)).toBe(`10.8.0.5 ssh-ed25519 ${ED}`);
  });

  it('round-trips what it writes', () => {
    const line = formatKnownHostsLine('fd00::5', 2222, 'ssh-ed25519', ED, 'cdm device dev-6');
    const [entry] = parseKnownHosts(`${line}\n`);
    expect(entry).toMatchObject({ line: 1, hosts: '[fd00::5]:2222', keyType: 'ssh-ed25519', key: ED, comment: 'cdm device dev-6' });
    expect(entryMatchesHost(entry!, 'fd00::5', 2222)).toBe(true);
  });
});

describe('known_hosts matching', () => {
  const one = (hosts: string) => parseKnownHosts(`${hosts} ssh-ed25519 ${ED}`)[0]!;

  it('matches plain names, lists, wildcards and ports exactly', () => {
    expect(entryMatchesHost(one('10.8.0.5'), '10.8.0.5', 22)).toBe(true);
    expect(entryMatchesHost(one('10.8.0.5'), '10.8.0.5', 2222)).toBe(false);
    expect(entryMatchesHost(one('[10.8.0.5]:2222'), '10.8.0.5', 2222)).toBe(true);
    expect(entryMatchesHost(one('a.example,10.8.0.5'), '10.8.0.5', 22)).toBe(true);
    expect(entryMatchesHost(one('10.8.0.*'), '10.8.0.77', 22)).toBe(true);
    expect(entryMatchesHost(one('10.8.0.?'), '10.8.0.77', 22)).toBe(false);
    expect(entryMatchesHost(one('Jump.Example'), 'jump.example', 22)).toBe(true);
  });

  it('a negated pattern excludes the host even when another pattern matches', () => {
    expect(entryMatchesHost(one('10.8.0.*,!10.8.0.9'), '10.8.0.9', 22)).toBe(false);
    expect(entryMatchesHost(one('10.8.0.*,!10.8.0.9'), '10.8.0.8', 22)).toBe(true);
  });

  it('matches hashed entries made by ssh-keygen -H', () => {
    const hashed = one('|1|iQoCrIDrmWwldzKyX621iNRnWKQ=|43gzGTAp1ko9m2leTYmAc2ooDCA=');
    expect(entryMatchesHost(hashed, '10.8.0.5', 2222)).toBe(true);
    expect(entryMatchesHost(hashed, '10.8.0.5', 22)).toBe(false);
    expect(entryMatchesHost(hashed, '10.8.0.6', 2222)).toBe(false);
  });
});

describe('what a presented key means', () => {
  const file = parseKnownHosts([
    `10.8.0.5 ssh-ed25519 ${ED} cdm device dev-1`,
    `10.8.0.6 ecdsa-sha2-nistp256 ${EC}`,
    `@revoked * ssh-ed25519 ${OTHER}`,
  ].join('\n'));

  it('known, unknown, changed (any other recorded key) and revoked', () => {
    expect(checkHostKey(file, '10.8.0.5', 22, ED)).toMatchObject({ status: 'known', entry: { line: 1 } });
    expect(checkHostKey(file, '10.8.0.7', 22, ED)).toEqual({ status: 'unknown' });
    expect(checkHostKey(file, '10.8.0.6', 22, ED)).toMatchObject({ status: 'changed', entries: [{ line: 2 }] });
    expect(checkHostKey(file, '10.8.0.7', 22, OTHER)).toMatchObject({ status: 'revoked', entry: { line: 3 } });
  });

  it('lists the key types recorded for a host (offered first in the handshake)', () => {
    expect(knownKeyTypes(file, '10.8.0.6', 22)).toEqual(['ecdsa-sha2-nistp256']);
    expect(knownKeyTypes(file, '10.8.0.9', 22)).toEqual([]);
  });
});
