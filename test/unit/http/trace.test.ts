import { describe, expect, it } from 'vitest';
import { TRACE_BODY_LIMIT, createTracer, describeBody } from '../../../src/http/trace.js';

describe('trace rendering', () => {
  it('shows binary bodies as a size, not bytes', () => {
    expect(describeBody(new Uint8Array([0, 1, 2, 3]), 'application/octet-stream')).toBe('[4 bytes of application/octet-stream]');
    expect(describeBody(new Uint8Array([0, 159, 146]), undefined)).toBe('[3 bytes of binary data]');
  });

  it('decodes textual bodies and redacts before cutting at the limit', () => {
    const pemHead = `${'x'.repeat(TRACE_BODY_LIMIT - 10)} -----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----`;
    const out = describeBody(Buffer.from(pemHead), 'text/plain');
    expect(out).not.toContain('MIGHAgEA');
    expect(out).not.toContain('BEGIN PRIVATE');
  });

  it('writes curl-like request and response lines with placeholders for streams', () => {
    const lines: string[] = [];
    const t = createTracer((l) => lines.push(l));
    t.request({
      service: 'hawkbit',
      method: 'PUT',
      url: 'https://hb.example/rest/v1/softwaremodules/1/artifacts?token=abc',
      headers: { 'content-type': 'application/octet-stream', authorization: 'Basic Zm9vOmJhcg==' },
      body: { kind: 'stream' },
      attempt: 1,
      maxAttempts: 1,
    });
    t.response({ status: 201, headers: { 'content-type': 'application/json' }, elapsedMs: 12.4, body: 'stream' });
    expect(lines).toEqual([
      '> PUT https://hb.example/rest/v1/softwaremodules/1/artifacts?token=[REDACTED] [hawkbit]',
      '> content-type: application/octet-stream',
      '> authorization: Basic [REDACTED]',
      '>',
      '> [streamed body]',
      '< 201 Created (12 ms)',
      '< content-type: application/json',
      '<',
      '< [streamed body]',
    ]);
  });

  it('prints an unknown status code without a reason phrase', () => {
    const lines: string[] = [];
    createTracer((l) => lines.push(l)).response({ status: 599, headers: {}, elapsedMs: 1 });
    expect(lines).toEqual(['< 599 (1 ms)']);
  });
});
