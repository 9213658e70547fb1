// The hand-written DER: lengths in both forms, OIDs, SET OF order, the string types, SAN encodings
// and the P-256 key encodings (compared byte for byte with OpenSSL's own exports).
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { bitString, contextConstructed, contextPrimitive, objectIdentifier, octetString, printableString, sequence, setOf, smallInteger, tlv, utf8String } from '../../../src/pki/der.js';
import { generalNames, ipAddressBytes } from '../../../src/pki/general-names.js';
import { p256Encodings } from '../../../src/pki/p256.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('DER encoder', () => {
  it('writes short-form lengths below 128 and long-form lengths from 128 on', () => {
    expect(hex(tlv(0x04, Buffer.alloc(0)))).toBe('0400');
    expect(hex(tlv(0x04, Buffer.alloc(127))).slice(0, 4)).toBe('047f');
    expect(hex(tlv(0x04, Buffer.alloc(128))).slice(0, 6)).toBe('048180');
    expect(hex(tlv(0x04, Buffer.alloc(255))).slice(0, 6)).toBe('0481ff');
    expect(hex(tlv(0x04, Buffer.alloc(256))).slice(0, 8)).toBe('04820100');
    expect(hex(tlv(0x04, Buffer.alloc(70_000))).slice(0, 10)).toBe('0483011170');
    expect(tlv(0x04, Buffer.alloc(70_000))).toHaveLength(70_005);
  });

  it('encodes object identifiers in base 128', () => {
    expect(hex(objectIdentifier('2.5.4.3'))).toBe('0603550403');
    expect(hex(objectIdentifier('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
    expect(hex(objectIdentifier('1.2.840.113549.1.9.14'))).toBe('06092a864886f70d01090e');
    expect(hex(objectIdentifier('2.999.3'))).toBe('0603883703');
  });

  it('orders the elements of a SET OF by their encodings', () => {
    expect(hex(setOf(octetString(Buffer.from([2])), octetString(Buffer.from([1]))))).toBe('3106040101040102');
    expect(hex(sequence(octetString(Buffer.from([2])), octetString(Buffer.from([1]))))).toBe('3006040102040101');
  });

  it('writes the small integers, strings, bit strings and context tags a CSR needs', () => {
    expect(hex(smallInteger(0))).toBe('020100');
    expect(hex(smallInteger(127))).toBe('02017f');
    expect(() => smallInteger(128)).toThrow(RangeError);
    expect(hex(printableString('a-1'))).toBe('1303612d31');
    expect(() => printableString('a_1')).toThrow(RangeError);
    expect(hex(utf8String('Zü'))).toBe('0c035ac3bc');
    expect(hex(bitString(Buffer.from([0xab])))).toBe('030200ab');
    expect(hex(contextConstructed(0))).toBe('a000');
    expect(hex(contextPrimitive(2, Buffer.from('a')))).toBe('820161');
  });
});

describe('GeneralNames', () => {
  it('encodes each SAN kind under its context tag', () => {
    const der = generalNames([{ type: 'dns', value: 'a.example' }, { type: 'ip', value: '10.0.0.42' }, { type: 'email', value: 'o@x' }, { type: 'url', value: 'spiffe://t/d' }]);
    const ascii = (t: string): string => hex(Buffer.from(t));
    // 11 + 6 + 5 + 14 = 36 (0x24) bytes of GeneralName inside the SEQUENCE.
    expect(hex(der)).toBe(`3024 8209${ascii('a.example')} 87040a00002a 8103${ascii('o@x')} 860c${ascii('spiffe://t/d')}`.replace(/ /g, ''));
  });

  it('writes IPv6 addresses as 16 bytes, with :: expanded and a trailing dotted quad', () => {
    expect(hex(ipAddressBytes('2001:db8::1'))).toBe('20010db8000000000000000000000001');
    expect(hex(ipAddressBytes('::'))).toBe('0'.repeat(32));
    expect(hex(ipAddressBytes('fe80::'))).toBe(`fe80${'0'.repeat(28)}`);
    expect(hex(ipAddressBytes('::ffff:192.0.2.1'))).toBe('00000000000000000000ffffc0000201');
    expect(hex(ipAddressBytes('1:2:3:4:5:6:7:8'))).toBe('00010002000300040005000600070008');
    expect(hex(ipAddressBytes('192.0.2.255'))).toBe('c00002ff');
  });

  it('refuses what a certificate cannot carry', () => {
    expect(() => ipAddressBytes('fe80::1%eth0')).toThrow(/zone id/);
    expect(() => ipAddressBytes('example.com')).toThrow(UsageError);
    expect(() => generalNames([{ type: 'email', value: 'zö@x.de' }])).toThrow(/not ASCII/);
  });
});

describe('P-256 key encodings', () => {
  it('builds the same SPKI and PKCS#8 bytes as OpenSSL exports', () => {
    for (let i = 0; i < 20; i++) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const { spki, pkcs8 } = p256Encodings(privateKey);
      expect(hex(spki)).toBe(hex(publicKey.export({ type: 'spki', format: 'der' })));
      expect(hex(pkcs8)).toBe(hex(privateKey.export({ type: 'pkcs8', format: 'der' })));
    }
  });

  it('refuses a key of another curve', () => {
    expect(() => p256Encodings(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey)).toThrow(/P-256/);
  });
});
