// Secret scrubbing for the --verbose trace and for anything else that prints a URL or a body.
// Redaction is unconditional: there is no "unsafe" switch. Every secret becomes the same fixed
// marker, so neither its length nor its shape leaks. Loaded by error paths too, so no undici here.

import type { HttpHeaders } from './types.js';

export const REDACTED = '[REDACTED]';

/** Headers whose whole value is a credential. */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-join-key',
  'x-authorization', // ThingsBoard: "X-Authorization: Bearer <jwt>"
  'x-api-key',
]);

/**
 * Field names (normalised: lower case, `_`, `-` and `.` removed) whose values are secrets wherever
 * they appear: JSON at any depth, form bodies, query strings.
 */
const SECRET_KEYS = new Set([
  'clientsecret',
  'password',
  'refreshtoken',
  'accesstoken',
  'idtoken',
  'ott', // step-ca one-time token
  'token',
  'devicecode', // OIDC device flow: whoever holds it can poll for the tokens
  'secret',
  'joinkey',
  'privatekey',
  'encryptedkey', // step-ca JWK provisioner: the JWE-wrapped private key
  'clientassertion',
  'subjecttoken',
  'actortoken',
  'codeverifier',
  'apikey',
  'passphrase',
  'passwordhash', // RabbitMQ users
  'credentialsvalue', // ThingsBoard device credentials (MQTT basic password, …)
  'credentialsid', // ThingsBoard: for ACCESS_TOKEN devices this IS the token
]);

/** Opaque cursors that merely end in "token"; printing them helps debugging paging. */
const NOT_SECRET_TOKENS = new Set(['nexttoken', 'pagetoken', 'nextpagetoken', 'continuationtoken']);

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_.]/g, '');
}

/** True when a JSON field, form field or query parameter of this name holds a secret. */
export function isSecretKey(key: string): boolean {
  const k = normaliseKey(key);
  if (SECRET_KEYS.has(k)) return true;
  // Families: adminPassword, rabbitmq_password, clientSecret variants, provisionerPrivateKey,
  // sessionToken… Suffix matching keeps them covered without listing each backend's spelling.
  if (k.endsWith('password') || k.endsWith('secret') || k.endsWith('privatekey')) return true;
  if (k.endsWith('passphrase')) return true;
  return k.endsWith('token') && !NOT_SECRET_TOKENS.has(k);
}

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

// A PEM private key block; an unterminated one (a truncated body) is redacted to the end of text.
const PEM_PRIVATE_KEY =
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
// Compact JWS (3 parts) or JWE (5 parts): base64url JSON header starting `{"` = `eyJ`.
const JOSE_COMPACT = /eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){2,4}/g;
// `"key": "value"`, `"key": 123`, `"key": true` inside text that is not parseable JSON (truncated,
// or embedded in an error message). An unterminated string value runs to the end of text.
const JSON_PAIR = /"([^"\\]{1,100})"(\s*:\s*)("(?:[^"\\]|\\.)*(?:"|$)|-?\d[\d.eE+-]*|true|false)/g;
// `key=value` in query strings, form bodies and free text.
const KV_PAIR = /(^|[?&;,\s])([A-Za-z0-9_.-]{1,100})=([^&;,\s"#]*)/g;

/** Scrubs PEM private keys and JWT/JWE strings anywhere, and secret `key=value` / `"key": value` pairs. */
export function redactText(text: string): string {
  return text
    .replace(PEM_PRIVATE_KEY, REDACTED)
    .replace(JOSE_COMPACT, REDACTED)
    .replace(JSON_PAIR, (whole, key: string, sep: string) =>
      isSecretKey(key) ? `"${key}"${sep}"${REDACTED}"` : whole,
    )
    .replace(KV_PAIR, (whole, lead: string, key: string, value: string) =>
      isSecretKey(safeDecode(key)) && value !== REDACTED ? `${lead}${key}=${REDACTED}` : whole,
    );
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Replaces secret values in a parsed JSON value, at any depth. */
export function redactJsonValue(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactJsonValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // Keycloak's CredentialRepresentation carries the secret under a neutral key:
    // {"type":"secret"|"password","value":"…"} (client-secret answers, reset-password bodies).
    const typed = (value as { type?: unknown }).type;
    const credential = typed === 'secret' || typed === 'password';
    for (const [k, v] of Object.entries(value)) {
      // null says "absent", which is not a secret; anything else (even an object) is replaced whole.
      out[k] = (isSecretKey(k) || (credential && k === 'value')) && v !== null ? REDACTED : redactJsonValue(v);
    }
    return out;
  }
  return value;
}

/** Redacts secret pairs of an application/x-www-form-urlencoded string, keeping the rest verbatim. */
export function redactForm(encoded: string): string {
  if (encoded === '') return encoded;
  return encoded
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawKey = eq === -1 ? pair : pair.slice(0, eq);
      if (eq === -1) return pair;
      const value = safeDecode(pair.slice(eq + 1));
      if (isSecretKey(safeDecode(rawKey))) return `${rawKey}=${REDACTED}`;
      // A non-secret field can still carry a PEM key or a JWT (e.g. `assertion`, `csr` bundles).
      const scrubbed = value.replace(PEM_PRIVATE_KEY, REDACTED).replace(JOSE_COMPACT, REDACTED);
      return scrubbed === value ? pair : `${rawKey}=${scrubbed}`;
    })
    .join('&');
}

/** Redacts query-string secrets and URL userinfo passwords. Accepts absolute or relative URLs. */
export function redactUrl(url: string | URL): string {
  const s = String(url);
  let parsed: URL;
  try {
    parsed = new URL(s);
  } catch {
    // Relative or malformed: scrub by pattern only.
    const q = s.indexOf('?');
    return q === -1 ? redactText(s) : redactText(s.slice(0, q)) + '?' + redactForm(s.slice(q + 1));
  }
  let out = `${parsed.protocol}//`;
  if (parsed.username !== '' || parsed.password !== '') {
    out += parsed.username === '' ? '' : parsed.username;
    out += parsed.password === '' ? '@' : `:${REDACTED}@`;
  }
  out += parsed.host + redactText(parsed.pathname);
  if (parsed.search !== '') out += '?' + redactForm(parsed.search.slice(1));
  if (parsed.hash !== '') out += redactText(parsed.hash);
  return out;
}

/** Returns a copy with secret header values replaced; other values are scrubbed as text. */
export function redactHeaders(headers: HttpHeaders): HttpHeaders {
  const out: HttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) {
      out[name] = value;
    } else if (isSecretHeader(name)) {
      out[name] = Array.isArray(value)
        ? value.map((v) => redactCredential(name, v))
        : redactCredential(name, value);
    } else {
      out[name] = Array.isArray(value) ? value.map(redactText) : redactText(value);
    }
  }
  return out;
}

/** Keeps the auth scheme (`Bearer`, `Basic`) of an Authorization header: useful, and not secret. */
function redactCredential(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization' || lower === 'x-authorization') {
    const m = /^([A-Za-z][A-Za-z0-9-]*) +\S/.exec(value);
    if (m?.[1] !== undefined) return `${m[1]} ${REDACTED}`;
  }
  return REDACTED;
}

/**
 * Redacts a body for display. JSON is parsed and walked (secrets at any depth), form bodies are
 * redacted pair by pair, and everything (including unparseable or truncated JSON) also goes
 * through the text patterns.
 */
export function redactBody(text: string, contentType?: string): string {
  const ct = (contentType ?? '').toLowerCase();
  const trimmed = text.trimStart();
  if (ct.includes('json') || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(redactJsonValue(JSON.parse(text)));
    } catch {
      // Not JSON after all (or truncated): fall through to the text patterns.
    }
  }
  if (ct.includes('x-www-form-urlencoded')) return redactText(redactForm(text));
  return redactText(text);
}
