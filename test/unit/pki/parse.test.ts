// Offline parsing of what operators type: serials, reasons, SANs, fingerprints, durations.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { parseFingerprint } from '../../../src/pki/fingerprint.js';
import { parseReason, REASONS } from '../../../src/pki/reasons.js';
import { classifySan, collectSans } from '../../../src/pki/sans.js';
import { colonHex, parseSerial } from '../../../src/pki/serial.js';
import { parseNotAfter } from '../../../commands/cert/options.js';
import { parseRfc3339 } from '../../../src/core/parse.js';

describe('serials', () => {
  it.each([
    ['1655281930295817268362923', '1655281930295817268362923', '015e8503640882e573feab'],
    ['0x15e8503640882e573feab', '1655281930295817268362923', '015e8503640882e573feab'],
    ['0X0A0B', '2571', '0a0b'],
    ['0x0a:0b', '2571', '0a0b'],
    [' 42 ', '42', '2a'],
    // As `openssl x509 -text` prints it: hex pairs with colons, no prefix.
    ['3d:60:e7:4A', '1029760842', '3d60e74a'],
    ['01:00', '256', '0100'],
  ])('%s → decimal %s, hex %s', (text, decimal, hex) => {
    expect(parseSerial(text)).toEqual({ decimal, hex });
  });

  it.each(['', 'ff00', 'my-cert.pem', '0x', '-5', '0', '12.5', '0xZZ', '1e6', '3d:6', ':3d', '3d::60', '00:00'])('refuses %j with a usage error', (text) => {
    expect(() => parseSerial(text)).toThrow(UsageError);
  });

  it('formats colon hex like openssl', () => {
    expect(colonHex('0a0bff')).toBe('0A:0B:FF');
  });
});

describe('revocation reasons (RFC 5280)', () => {
  it('accepts every name and code, case-insensitively and with spaces', () => {
    for (const [code, name] of REASONS) {
      expect(parseReason(name)).toEqual({ code, name });
      expect(parseReason(String(code))).toEqual({ code, name });
      expect(parseReason(name.toUpperCase())).toEqual({ code, name });
    }
    expect(parseReason('key compromise')).toEqual({ code: 1, name: 'keyCompromise' });
    expect(parseReason('CA Compromise')).toEqual({ code: 2, name: 'cACompromise' });
  });

  it.each(['7', '11', '-1', 'lost', '', 'keyCompromised'])('refuses %j', (text) => {
    expect(() => parseReason(text)).toThrow(UsageError);
  });
});

describe('SANs', () => {
  it('classifies DNS names, IPs, emails and URIs', () => {
    expect(classifySan('dev-0001.acme.example')).toEqual({ type: 'dns', value: 'dev-0001.acme.example' });
    expect(classifySan('*.acme.example')).toEqual({ type: 'dns', value: '*.acme.example' });
    expect(classifySan('10.0.0.7')).toEqual({ type: 'ip', value: '10.0.0.7' });
    expect(classifySan('[fd00::7]')).toEqual({ type: 'ip', value: 'fd00::7' });
    expect(classifySan('ops@acme.example')).toEqual({ type: 'email', value: 'ops@acme.example' });
    expect(classifySan('spiffe://acme/device/dev2')).toEqual({ type: 'url', value: 'spiffe://acme/device/dev2' });
    expect(() => classifySan('not a name!')).toThrow(UsageError);
  });

  it('puts the common name first, splits commas, drops duplicates', () => {
    expect(collectSans('dev', undefined).map((s) => s.value)).toEqual(['dev']);
    expect(collectSans('dev', ['a.example,10.0.0.1', 'dev', 'a.example']).map((s) => s.value)).toEqual(['dev', 'a.example', '10.0.0.1']);
  });

  it('names the common name when it cannot be a SAN, and the SAN otherwise', () => {
    expect(() => collectSans('web server', undefined)).toThrow(/invalid common name "web server": it is also the first SAN/);
    expect(() => collectSans('web-1', ['ok.example', 'bad san!'])).toThrow(/invalid SAN "bad san!"/);
  });
});

describe('fingerprints and --not-after', () => {
  it('normalises fingerprints', () => {
    const hex = 'ab'.repeat(32);
    expect(parseFingerprint(hex.toUpperCase().replace(/(..)(?!$)/g, '$1:'))).toBe(hex);
    expect(() => parseFingerprint('abc')).toThrow(UsageError);
  });

  it('turns durations into Go durations and passes RFC 3339 times through', () => {
    expect(parseNotAfter('24h')).toBe('24h');
    expect(parseNotAfter('7d')).toBe('168h');
    expect(parseNotAfter('90m')).toBe('90m');
    expect(parseNotAfter('1h30m')).toBe('90m');
    expect(parseNotAfter('45s')).toBe('45s');
    expect(parseNotAfter('2030-01-31T12:00:00Z')).toBe('2030-01-31T12:00:00Z');
    expect(() => parseNotAfter('12')).toThrow(UsageError);
    expect(() => parseNotAfter('2030-13-45T00:00:00Z')).toThrow(UsageError);
  });

  it('takes only RFC 3339 times that step-ca takes: seconds and a zone, a real date; t and z upper-cased', () => {
    expect(parseNotAfter('2030-01-31T13:00:00.250+01:00')).toBe('2030-01-31T13:00:00.250+01:00');
    expect(parseNotAfter('2030-01-31t12:00:00z')).toBe('2030-01-31T12:00:00Z');
    for (const bad of ['2030-01-31T12:00:00', '2030-01-31T12:00Z', '2030-01-31', '2030-02-30T00:00:00Z', '2030-01-31T24:00:00Z', '2030-01-31 12:00:00Z']) {
      expect(() => parseNotAfter(bad), bad).toThrow(/RFC 3339 with seconds and a zone/);
    }
  });

  it('parseRfc3339 reads the instant, zone included, and refuses dates that do not exist', () => {
    expect(parseRfc3339('2030-01-31T13:00:00+01:00')).toBe(Date.UTC(2030, 0, 31, 12));
    expect(parseRfc3339('2030-01-31T12:00:00.5Z')).toBe(Date.UTC(2030, 0, 31, 12, 0, 0, 500));
    expect(parseRfc3339('2028-02-29T00:00:00-00:30')).toBe(Date.UTC(2028, 1, 29, 0, 30));
    expect(parseRfc3339('2030-02-29T00:00:00Z')).toBeUndefined();
    expect(parseRfc3339('2100-02-29T00:00:00Z')).toBeUndefined();
    expect(parseRfc3339('2000-02-29T00:00:00Z')).toBe(Date.UTC(2000, 1, 29));
    expect(parseRfc3339('2030-04-31T00:00:00Z')).toBeUndefined();
    expect(parseRfc3339('2030-01-01T00:00:00+24:00')).toBeUndefined();
  });
});
