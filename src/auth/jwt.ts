// Reads the claims of a token for display (`cdm auth status`). No signature check: the CLI
// only shows what its own credential store holds; servers verify tokens themselves.
export interface AccessClaims {
  iss?: string;
  sub?: string;
  azp?: string;
  exp?: number;
  preferred_username?: string;
  realm_access?: { roles?: string[] };
  scope?: string;
}

export function decodeClaims(token: string): AccessClaims {
  const part = token.split('.')[1];
  if (!part) return {};
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as AccessClaims;
  } catch {
    return {};
  }
}
