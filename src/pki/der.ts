// DER (X.690 distinguished encoding) for the few ASN.1 shapes cdm builds itself: a PKCS#10
// request and the SPKI/PKCS#8 forms of a fresh P-256 key. Written by hand because they are tiny
// and fixed, while the schema-driven serialiser behind @peculiar/x509 cost ~0.8 ms per request,
// which a bulk enrollment pays once per device. Reading DER stays with @peculiar/x509.

export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

/** Short form below 128; above, 0x80 | number of length bytes, then the length big-endian. */
function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function sequence(...items: Uint8Array[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

/** DER puts the elements of a SET OF in the order of their encodings (X.690 §11.6). */
export function setOf(...items: Uint8Array[]): Buffer {
  return tlv(0x31, Buffer.concat([...items].sort(Buffer.compare)));
}

/** Versions are the only integers cdm writes; below 128 the content is the one byte itself. */
export function smallInteger(value: number): Buffer {
  if (!Number.isInteger(value) || value < 0 || value > 0x7f) throw new RangeError(`smallInteger: ${value} is not in 0..127`);
  return tlv(0x02, Buffer.from([value]));
}

export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const [first = 0, second = 0, ...rest] = arcs;
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    // Base 128, most significant group first, bit 8 set on every byte but the last.
    const groups = [arc % 128];
    for (let high = Math.floor(arc / 128); high > 0; high = Math.floor(high / 128)) groups.unshift(0x80 | (high % 128));
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

export function utf8String(text: string): Buffer {
  return tlv(0x0c, Buffer.from(text, 'utf8'));
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

export function isPrintableString(text: string): boolean {
  return PRINTABLE.test(text);
}

export function printableString(text: string): Buffer {
  if (!isPrintableString(text)) throw new RangeError(`"${text}" is not a PrintableString`);
  return tlv(0x13, Buffer.from(text, 'latin1'));
}

export function isAscii(text: string): boolean {
  return /^[\x00-\x7f]*$/.test(text);
}

/** IA5String content (ASCII): the bytes of an implicitly tagged dNSName, rfc822Name or URI. */
export function ia5Bytes(text: string): Buffer {
  if (!isAscii(text)) throw new RangeError(`"${text}" is not ASCII`);
  return Buffer.from(text, 'latin1');
}

export function octetString(content: Uint8Array): Buffer {
  return tlv(0x04, content);
}

/** A BIT STRING of whole bytes (keys, signatures): no unused bits in the last byte. */
export function bitString(content: Uint8Array): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([0]), content]));
}

/** `[n]` wrapping other elements (IMPLICIT SET OF, or EXPLICIT tagging). */
export function contextConstructed(n: number, ...items: Uint8Array[]): Buffer {
  return tlv(0xa0 | n, Buffer.concat(items));
}

/** `[n] IMPLICIT` of a primitive type: the content of that type under the context tag. */
export function contextPrimitive(n: number, content: Uint8Array): Buffer {
  return tlv(0x80 | n, content);
}
