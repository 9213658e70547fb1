// PEM framing without any ASN.1 library: split a text into its labelled blocks and back.
// Inputs can be PEM or raw DER (`cdm cert inspect` takes both), so detection lives here too.

export interface PemBlock {
  label: string;
  der: Buffer;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    out.push({ label: m[1]!, der: Buffer.from(m[2]!.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64') });
  }
  return out;
}

export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** True when the bytes read as text contain a PEM header (anything else is treated as DER). */
export function isPem(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, Math.min(bytes.length, 64 * 1024))).toString('latin1').includes('-----BEGIN ');
}

export const CERT_LABEL = 'CERTIFICATE';
export const CSR_LABELS: readonly string[] = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'];
export const CRL_LABEL = 'X509 CRL';

/** Just the CERTIFICATE blocks of a bundle, in order, as PEM text. */
export function certificatePems(text: string): string[] {
  return pemBlocks(text).filter((b) => b.label === CERT_LABEL).map((b) => toPem(b.der, CERT_LABEL));
}
