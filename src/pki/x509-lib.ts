// @peculiar/x509 needs reflect-metadata loaded first and a WebCrypto provider. Every pki module
// that parses or builds ASN.1 imports the library through here, so the setup happens once.
// Commands reach src/pki only through `await import()`, keeping startup light.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };

/** A copy in a plain ArrayBuffer: the library's types refuse views over SharedArrayBuffer-like memory. */
export function bytes(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(data);
}
