// A tiny management-API client for the conformance scenarios: Node's fetch, raw status,
// headers and body, so each scenario asserts exactly what the server sent.

export interface Credentials {
  user: string;
  password: string;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (throws on a non-JSON body, which then fails the scenario). */
  json(): unknown;
}

export interface CallOptions {
  /** Default: the target's admin. `null` sends no Authorization header; a string is sent verbatim. */
  auth?: Credentials | string | null;
  /** Objects are JSON-encoded; strings are sent as they are (for malformed bodies). */
  body?: unknown;
}

export type Call = (method: string, path: string, opts?: CallOptions) => Promise<Reply>;

export function makeCall(baseUrl: string, admin: Credentials): Call {
  return async (method, path, opts = {}) => {
    const headers: Record<string, string> = {};
    const auth = opts.auth === undefined ? admin : opts.auth;
    if (typeof auth === 'string') headers.authorization = auth;
    else if (auth) headers.authorization = basic(auth);
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
  };
}

export function basic(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}`;
}

/** Percent-encodes a vhost or user name for a path segment (`/` becomes %2F). */
export function seg(name: string): string {
  return encodeURIComponent(name);
}
