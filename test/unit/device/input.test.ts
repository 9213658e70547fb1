import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ignoredFieldsWarning, parseCsv, parseJsonl, readDeviceFile, splitCsvLine } from '../../../src/workflows/device/input.js';
import type { IOStreams } from '../../../src/core/io.js';
import { tempDir } from '../../helpers/temp.js';
import { fillWgConfig } from '../../../src/workflows/device/wireguard.js';
import { age, attentionSummary } from '../../../src/workflows/device/health.js';

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
      { line: 6, error: '1 field, the header has 2' },
      { line: 7, error: 'device "d-1" repeats line 3' },
      { line: 8, error: 'malformed quoting' },
    ]);
    expect(() => parseCsv('name,type\nx,y\n')).toThrow(/needs an "id"/);
    expect(() => parseCsv('')).toThrow(/no header/);
  });

  it('reads JSON Lines', () => {
    const f = parseJsonl('{"id":"a","type":"gw","csr":"a.csr"}\n\n{oops}\n{"device_id":"b","device_name":"B"}\n[]\n{"id":3}\n{"id":"c","name":5}\n{"name":"x"}\n');
    expect(f.devices).toEqual([{ line: 1, id: 'a', type: 'gw', csr: 'a.csr' }, { line: 4, id: 'b', name: 'B' }]);
    expect(f.bad).toEqual([
      { line: 3, error: expect.stringMatching(/^not JSON: /) },
      { line: 5, error: 'not a JSON object' },
      { line: 6, error: '"id" must be a string, not number' },
      { line: 7, error: '"name" must be a string, not number' },
      { line: 8, error: 'no "id"' },
    ]);
    expect(f.ignored).toEqual([]);
  });

  it('reads a WireGuard public key with a CSR, and refuses one that is malformed or has no CSR', () => {
    const key = 'rroh8j+v+EgudiIiIh9W5TE1wHLhXBQliLmy0W1fxnc=';
    const csv = parseCsv(`id,csr,wg_public_key\nd-1,d1.csr,${key}\nd-2,,${key}\nd-3,d3.csr,abc=\nd-4,d4.csr,rroh8j+v+EgudiIiIh9W5TE1wHLhXBQliLmy0W1fxnd=\nd-5,d5.csr,\n`);
    expect(csv.devices).toEqual([{ line: 2, id: 'd-1', csr: 'd1.csr', wgPublicKey: key }, { line: 6, id: 'd-5', csr: 'd5.csr' }]);
    expect(csv.bad.map((b) => [b.line, b.error])).toEqual([
      [3, 'wg_public_key goes with csr (without a CSR cdm makes the WireGuard pair)'],
      [4, expect.stringContaining('wg_public_key: "abc=" is not a WireGuard public key')],
      // 32 bytes leave the last character's low bits zero: "d" is not a possible last character.
      [5, expect.stringContaining('is not a WireGuard public key')],
    ]);
    const jsonl = parseJsonl(`{"id":"a","csr":"a.csr","wg_public_key":"${key}"}\n{"id":"b","csr":"b.csr","wg_public_key":7}\n`);
    expect(jsonl.devices).toEqual([{ line: 1, id: 'a', csr: 'a.csr', wgPublicKey: key }]);
    expect(jsonl.bad).toEqual([{ line: 2, error: '"wg_public_key" must be a string, not number' }]);
  });

  it('names the columns and keys it does not read', () => {
    const csv = parseCsv('id,nmae,site\nd-1,One,Hall 2\n');
    expect(csv.devices).toEqual([{ line: 2, id: 'd-1' }]);
    expect(csv.ignored).toEqual(['nmae', 'site']);
    expect(ignoredFieldsWarning('fleet.csv', csv)).toBe('fleet.csv: ignoring "nmae", "site"; a device row has id, device_id, name, device_name, type, device_type, csr, wg_public_key');
    const jsonl = parseJsonl('{"id":"a","typ":"gw"}\n{"id":"b","typ":"gw","site":1}\n');
    expect(jsonl.ignored).toEqual(['typ', 'site']);
    expect(ignoredFieldsWarning('f.jsonl', parseJsonl('{"id":"a"}\n'))).toBeUndefined();
  });
});

describe('wg0.conf', () => {
  it('gets the private key in place of the bridge\'s placeholder, or a PrivateKey line', () => {
    expect(fillWgConfig('[Interface]\nPrivateKey = <REPLACE_WITH_DEVICE_PRIVATE_KEY>\nAddress = 10.8.1.2/32\n', 'K')).toBe('[Interface]\nPrivateKey = K\nAddress = 10.8.1.2/32\n');
    expect(fillWgConfig('[Interface]\nAddress = 10.8.1.2/32\n', 'K')).toBe('[Interface]\nPrivateKey = K\nAddress = 10.8.1.2/32\n');
  });
});

describe('device files as written by other tools', () => {
  const io = (stdin: string): IOStreams => ({ stdin: Object.assign(Readable.from([Buffer.from(stdin)]), { isTTY: false }) } as unknown as IOStreams);

  it('a byte-order mark and CRLF line ends are read past, in CSV and JSON Lines, from a file or stdin', async () => {
    const dir = tempDir('cdm-input-');
    writeFileSync(join(dir, 'fleet.csv'), '\uFEFFid,name\r\nbom-1,One\r\n');
    writeFileSync(join(dir, 'fleet.jsonl'), '\uFEFF{"id":"bom-2"}\r\n{"id":"bom-3"}\r\n');
    const csv = await readDeviceFile(join(dir, 'fleet.csv'), io(''));
    expect([csv.devices.map((d) => [d.id, d.name]), csv.bad]).toEqual([[['bom-1', 'One']], []]);
    const jsonl = await readDeviceFile(join(dir, 'fleet.jsonl'), io(''));
    expect([jsonl.devices.map((d) => d.id), jsonl.bad]).toEqual([['bom-2', 'bom-3'], []]);
    const piped = await readDeviceFile('-', io('\uFEFF{"id":"bom-4"}\n'));
    expect([piped.devices.map((d) => d.id), piped.bad]).toEqual([['bom-4'], []]);
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

describe('health summary', () => {
  it('agrees with the number of devices', () => {
    expect(attentionSummary(1, 12)).toBe('1 of 12 devices needs attention.');
    expect(attentionSummary(3, 12)).toBe('3 of 12 devices need attention.');
    expect(attentionSummary(1, 1)).toBe('1 of 1 device needs attention.');
  });
});
