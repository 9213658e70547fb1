// HTTPS calls to a step-ca (real or emulated) pinned to its root, optionally with a client certificate.
import { request } from 'node:https';

export interface CaResponse { status: number; headers: Record<string, string | string[] | undefined>; text: string; json: unknown }

export interface CallOptions { body?: unknown; rawBody?: string; cert?: string; key?: string }

export function callCa(baseUrl: string, rootPem: string, method: string, path: string, o: CallOptions = {}): Promise<CaResponse> {
  return new Promise((resolve, reject) => {
    const payload = o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
    const req = request(baseUrl + path, {
      method, ca: rootPem, agent: false,
      ...(o.cert ? { cert: o.cert, key: o.key } : {}),
      headers: payload === undefined ? {} : { 'content-type': 'application/json' },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
