import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { formatEndpoint, parseHost, parseJumpSpec, parsePort } from '../../../src/ssh/jump-spec.js';

describe('jump host spec user@host[:port]', () => {
  it.each([
    ['ops@jump.acme.example', { user: 'ops', host: 'jump.acme.example', port: 22 }],
    ['root@10.0.0.1:2222', { user: 'root', host: '10.0.0.1', port: 2222 }],
    ['ops@[fd00::1]:2200', { user: 'ops', host: 'fd00::1', port: 2200 }],
    ['ops@[fd00::1]', { user: 'ops', host: 'fd00::1', port: 22 }],
    ['deploy.bot@vpn-1', { user: 'deploy.bot', host: 'vpn-1', port: 22 }],
  ])('%s', (text, expected) => {
    expect(parseJumpSpec(text)).toEqual(expected);
  });

  it.each(['bad', '@host', 'ops@', 'ops@host:', 'ops@host:0', 'ops@host:70000', 'ops@host:22:1', 'o ps@host', 'ops@-host', 'ops@[jump]:22', 'ops@fd00::1', 'a@b@c'])('refuses %j with exit 2', (text) => {
    let err: unknown;
    try { parseJumpSpec(text); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toContain('invalid');
  });

  it('formats back, brackets IPv6 and omits port 22', () => {
    expect(formatEndpoint({ user: 'ops', host: 'fd00::1', port: 2200 })).toBe('ops@[fd00::1]:2200');
    expect(formatEndpoint({ user: 'ops', host: 'jump', port: 22 })).toBe('ops@jump');
  });

  it('hosts and ports on their own', () => {
    expect(parseHost('10.8.0.5')).toBe('10.8.0.5');
    expect(parseHost('fd00::5')).toBe('fd00::5');
    expect(() => parseHost('10.8.0.5; rm -rf /')).toThrow(UsageError);
    expect(parsePort('65535')).toBe(65535);
    expect(() => parsePort('0')).toThrow(UsageError);
    expect(() => parsePort('22a')).toThrow(UsageError);
  });
});
