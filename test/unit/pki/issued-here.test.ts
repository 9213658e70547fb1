// chainsTo: whether the context's CA issued a certificate, by signatures alone, through the CA's
// intermediates or the file's own chain (the check before `cert revoke --cert`).
import { beforeAll, describe, expect, it } from 'vitest';
import { chainsTo } from '../../../src/services/stepca/issued-here.js';
import { makePki, type TestPki } from './fixtures.js';

let pki: TestPki;
beforeAll(async () => { pki = await makePki(); });

describe('chainsTo', () => {
  it('accepts a leaf through the CA\'s intermediates or through the chain in its own file', () => {
    expect(chainsTo(pki.leafPem, [pki.rootPem], [pki.intermediatePem])).toBe(true);
    expect(chainsTo(pki.leafPem + pki.intermediatePem, [pki.rootPem], [])).toBe(true);
    // The CA's own certificates count as issued by it.
    expect(chainsTo(pki.intermediatePem, [pki.rootPem], [])).toBe(true);
    expect(chainsTo(pki.rootPem, [pki.rootPem], [])).toBe(true);
  });

  it('accepts an expired leaf: revoking it is still the operator\'s call', () => {
    expect(chainsTo(pki.expiredPem, [pki.rootPem], [pki.intermediatePem])).toBe(true);
  });

  it('refuses a leaf of another CA, and one whose chain cannot be completed', () => {
    expect(chainsTo(pki.foreignPem, [pki.rootPem], [pki.intermediatePem])).toBe(false);
    // A foreign chain in the file does not help: it ends at another root.
    expect(chainsTo(pki.foreignPem + pki.foreignRootPem, [pki.rootPem], [pki.intermediatePem])).toBe(false);
    expect(chainsTo(pki.leafPem, [pki.rootPem], [])).toBe(false);
    expect(chainsTo(pki.leafPem, [pki.foreignRootPem], [pki.intermediatePem])).toBe(false);
    expect(chainsTo('', [pki.rootPem], [])).toBe(false);
  });
});
