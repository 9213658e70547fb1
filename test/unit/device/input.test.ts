import { describe, expect, it } from 'vitest';
import { parseCsv, parseJsonl, splitCsvLine } from '../../../src/workflows/device/input.js';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { generateWgKeyPair, wgPublicKeyOf } from '../../../src/pki/wireguard-keys.js';
import { fillWgConfig } from '../../../src/workflows/device/wireguard.js';
import { age } from '../../../src/workflows/device/health.js';

describe('device file parsing', () => {
  it('splits CSV fields with quotes', () => {
    expect(splitCsvLine('a,"b, c","d ""e"""')).toEqual(['a', 'b, c', 'd "e"']);
    expect(splitCsvLine('a,"b')).toBeUndefined();
    expect(splitCsvLine('a,b"c')).toBeUndefined();
    expect(splitCsvLine('a,,')).toEqual(['a', '', '']);
  });

  it('reports bad CSV rows by line number and keeps the good ones', () => {
    const f = parseCsv('# fleet\ndevice_id,name\nd-1,One\n\nd 2,Two\nd-3\nd-1,Again\n"d-4,x\nd-5,Five\n');
    expect(f.devices.map((d) => [d.line, d.id, d.name])).toEqual([[3, 'd-1', 'One'], [9, 'd-5', 'Five']]);
    expect(f.bad).toEqual([
      { line: 5, error: 'invalid device id "d 2"' },
      { line: 6, error: '1 fields, the header has 2' },
      { line: 7, error: 'device "d-1" repeats line 3' },
      { line: 8, error: 'malformed quoting' },
    ]);
    expect(() => parseCsv('name,type\nx,y\n')).toThrow(/needs an "id"/);
    expect(() => parseCsv('')).toThrow(/no header/);
  });

  it('reads JSON Lines', () => {
    const f = parseJsonl('{"id":"a","type":"gw","csr":"a.csr"}\n\n{oops}\n{"device_id":"b","device_name":"B"}\n[]\n');
    expect(f.devices).toEqual([{ line: 1, id: 'a', type: 'gw', csr: 'a.csr' }, { line: 4, id: 'b', name: 'B' }]);
    expect(f.bad.map((b) => b.line)).toEqual([3, 5]);
  });
});

describe('WireGuard keys', () => {
  it('makes 32-byte Curve25519 keys and fills the placeholder', async () => {
    const k = generateWgKeyPair();
    const d = Buffer.from(k.privateKey, 'base64');
    expect(d).toHaveLength(32);
    // Clamped as `wg genkey` prints it.
    expect(d[0]! & 7).toBe(0);
    expect(d[31]! & 0xc0).toBe(0x40);
    // The public key is the one OpenSSL derives from the same private key.
    const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), d]);
    const spki = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
    expect(k.publicKey).toBe(spki.subarray(-32).toString('base64'));
    expect(generateWgKeyPair().privateKey).not.toBe(k.privateKey);
    expect(fillWgConfig('[Interface]\nPrivateKey = <REPLACE_WITH_DEVICE_PRIVATE_KEY>\nAddress = 10.8.1.2/32\n', k.privateKey)).toBe(`[Interface]\nPrivateKey = ${k.privateKey}\nAddress = 10.8.1.2/32\n`);
    expect(fillWgConfig('[Interface]\nAddress = 10.8.1.2/32\n', 'K')).toBe('[Interface]\nPrivateKey = K\nAddress = 10.8.1.2/32\n');
  });
});

describe('WireGuard public key', () => {
  it('matches RFC 7748 §6.1', () => {
    const alice = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex');
    expect(wgPublicKeyOf(alice).toString('hex')).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
  });
});

describe('health age', () => {
  it('is coarse', () => {
    expect(age(0)).toBe('0s');
    expect(age(90_000)).toBe('1m30s');
    expect(age(3 * 3_600_000 + 5 * 60_000)).toBe('3h5m');
    expect(age(2 * 86_400_000 + 3_600_000)).toBe('2d1h');
  });
});
