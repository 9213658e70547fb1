import { describe, expect, it } from 'vitest';
import {
  REDACTED,
  isSecretKey,
  redactBody,
  redactForm,
  redactHeaders,
  redactText,
  redactUrl,
} from '../../../src/http/redact.js';

const JWT = 'eyJhbGciOiJFUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJvcGVyYXRvciIsImV4cCI6MTcwMDAwMDAwMH0.MEUCIQDabc-def_123';
const JWE =
  'eyJhbGciOiJQQkVTMi1IUzI1NitBMTI4S1ciLCJlbmMiOiJBMTI4R0NNIn0.wrapped-key_AA.iv-BBB.ciphertext_CCC.tag-DDD';

function pem(label: string): string {
  return `-----BEGIN ${label}-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg7bX8c1lPQ2i9\nhRZXfZb1M0Ngz0vH0mQ8nb3r2VnYyGWhRANCAAQ=\n-----END ${label}-----`;
}

const SECRET_FIELDS = [
  'client_secret',
  'password',
  'refresh_token',
  'access_token',
  'id_token',
  'ott',
  'token',
  'device_code',
  'secret',
  'join_key',
  'joinKey',
  'privateKey',
  'private_key',
] as const;

describe('headers', () => {
  it.each([
    ['Authorization', 'Bearer abc.def.ghi', 'Bearer [REDACTED]'],
    ['authorization', 'Basic dXNlcjpwYXNz', 'Basic [REDACTED]'],
    ['Proxy-Authorization', 'Basic cHJveHk6cHc=', 'Basic [REDACTED]'],
    ['X-Authorization', 'Bearer tb-jwt-value', 'Bearer [REDACTED]'],
    ['Cookie', 'KEYCLOAK_SESSION=abc; AUTH_SESSION_ID=def', REDACTED],
    ['X-Join-Key', 'jk_live_0123456789', REDACTED],
    ['X-API-Key', 'k-123', REDACTED],
  ])('%s', (name, value, expected) => {
    expect(redactHeaders({ [name]: value })).toEqual({ [name]: expected });
  });

  it('redacts every Set-Cookie of a list', () => {
    expect(redactHeaders({ 'set-cookie': ['a=1; Path=/', 'b=2; HttpOnly'] })).toEqual({
      'set-cookie': [REDACTED, REDACTED],
    });
  });

  it('redacts a bare token without a scheme entirely', () => {
    expect(redactHeaders({ authorization: 'rawtokenvalue' })).toEqual({ authorization: REDACTED });
  });

  it('keeps ordinary headers, scrubbing tokens hiding in them', () => {
    const out = redactHeaders({
      'content-type': 'application/json',
      'x-total-count': '42',
      location: `https://kc.example/cb?code=xyz&access_token=${JWT}&state=s1`,
      undefinedValue: undefined,
    });
    expect(out['content-type']).toBe('application/json');
    expect(out['x-total-count']).toBe('42');
    expect(out['location']).toBe('https://kc.example/cb?code=xyz&access_token=[REDACTED]&state=s1');
    expect(out['undefinedValue']).toBeUndefined();
  });
});

describe('JSON bodies', () => {
  it.each(SECRET_FIELDS)('redacts "%s" and keeps its neighbours', (field) => {
    const body = JSON.stringify({ [field]: 'hunter2-value', name: 'acme', count: 3 });
    const out = JSON.parse(redactBody(body, 'application/json')) as Record<string, unknown>;
    expect(out).toEqual({ [field]: REDACTED, name: 'acme', count: 3 });
  });

  it('redacts at any depth, in arrays, and whole object values of secret keys', () => {
    const body = {
      tenant: { id: 't1', admin: { username: 'root', password: 'pw1', rabbitmq_password: 'pw2' } },
      provisioners: [{ name: 'admin', type: 'JWK', encryptedKey: JWE, key: { kty: 'EC', crv: 'P-256', x: 'pub-x' } }],
      credentials: { secret: { value: 'nested' } },
      devices: [[{ joinKey: 'jk1' }], { deep: { deeper: { refreshToken: 'rt' } } }],
      nothing: { token: null },
    };
    const out = JSON.parse(redactBody(JSON.stringify(body), 'application/json')) as typeof body;
    expect(out.tenant).toEqual({ id: 't1', admin: { username: 'root', password: REDACTED, rabbitmq_password: REDACTED } });
    expect(out.provisioners[0]).toEqual({ name: 'admin', type: 'JWK', encryptedKey: REDACTED, key: { kty: 'EC', crv: 'P-256', x: 'pub-x' } });
    expect(out.credentials).toEqual({ secret: REDACTED });
    expect(out.devices).toEqual([[{ joinKey: REDACTED }], { deep: { deeper: { refreshToken: REDACTED } } }]);
    expect(out.nothing).toEqual({ token: null });
  });

  it('redacts numbers and booleans held by secret keys', () => {
    expect(JSON.parse(redactBody('{"password":123456,"ott":true}', 'application/json'))).toEqual({ password: REDACTED, ott: REDACTED });
  });

  it('keeps non-secret fields that merely look related', () => {
    const body = {
      token_type: 'Bearer',
      expires_in: 300,
      token_endpoint: 'https://kc/realms/cdm/protocol/openid-connect/token',
      nextPageToken: 'cursor-2',
      user_code: 'WDJB-MJHT',
      verification_uri: 'https://kc/device',
      publicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE',
      passwordPolicy: undefined,
      scope: 'openid profile',
    };
    expect(JSON.parse(redactBody(JSON.stringify(body), 'application/json'))).toEqual(JSON.parse(JSON.stringify(body)));
  });

  it('redacts JWT and JWE strings in any field', () => {
    const out = JSON.parse(redactBody(JSON.stringify({ assertion: JWT, note: `wrapped ${JWE} here`, id: 'd1' }), 'application/json'));
    expect(out).toEqual({ assertion: REDACTED, note: `wrapped ${REDACTED} here`, id: 'd1' });
  });

  it('redacts JSON sent without a JSON content type', () => {
    expect(redactBody('{"client_secret":"cs"}', 'text/plain')).toBe('{"client_secret":"[REDACTED]"}');
    expect(redactBody('[{"password":"p"}]')).toBe('[{"password":"[REDACTED]"}]');
  });

  it('redacts truncated or malformed JSON by pattern, including an unterminated secret', () => {
    const truncated = '{"name":"a","client_secret":"abc","nested":{"password": "p\\"q","access_token":"eyJhbGciOi';
    const out = redactBody(truncated, 'application/json');
    expect(out).toBe('{"name":"a","client_secret":"[REDACTED]","nested":{"password": "[REDACTED]","access_token":"[REDACTED]"');
  });
});

describe('form bodies and query strings', () => {
  it.each(SECRET_FIELDS)('redacts form field %s', (field) => {
    expect(redactBody(`grant_type=x&${field}=s3cr%2Ft&scope=openid`, 'application/x-www-form-urlencoded')).toBe(
      `grant_type=x&${field}=${REDACTED}&scope=openid`,
    );
  });

  it('redacts encoded key names and JWTs in other form fields, keeping the rest byte for byte', () => {
    const form = `client%5Fsecret=abc&client_assertion_type=urn%3Aietf%3Aparams&client_assertion=${JWT}&redirect_uri=http%3A%2F%2Flocalhost`;
    expect(redactForm(form)).toBe(
      `client%5Fsecret=${REDACTED}&client_assertion_type=urn%3Aietf%3Aparams&client_assertion=${REDACTED}&redirect_uri=http%3A%2F%2Flocalhost`,
    );
  });

  it('redacts a PEM key inside a form value', () => {
    const value = encodeURIComponent(pem('PRIVATE KEY'));
    expect(redactForm(`csr=abc&key_pem=${value}`)).toBe(`csr=abc&key_pem=${REDACTED}`);
  });

  it.each(SECRET_FIELDS)('redacts query parameter %s in URLs', (field) => {
    expect(redactUrl(`https://api.example:8443/v1/x?page=2&${field}=abc%20def&sort=name`)).toBe(
      `https://api.example:8443/v1/x?page=2&${field}=${REDACTED}&sort=name`,
    );
  });

  it('redacts URL userinfo passwords and JWTs in paths, keeping the rest', () => {
    expect(redactUrl('http://ops:pw@proxy.corp:3128/')).toBe(`http://ops:${REDACTED}@proxy.corp:3128/`);
    expect(redactUrl(new URL(`https://ca.example/1.0/sign/${JWT}`))).toBe(`https://ca.example/1.0/sign/${REDACTED}`);
    expect(redactUrl('https://hawkbit.example/rest/v1/targets?q=name==dev*&limit=50')).toBe(
      'https://hawkbit.example/rest/v1/targets?q=name==dev*&limit=50',
    );
  });

  it('redacts relative URLs by pattern', () => {
    expect(redactUrl('/api/auth?token=abc&x=1')).toBe(`/api/auth?token=${REDACTED}&x=1`);
  });
});

describe('PEM private keys in text', () => {
  it.each(['PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'OPENSSH PRIVATE KEY'])(
    'redacts a %s block anywhere, keeping certificates',
    (label) => {
      const cert = '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----';
      const text = `before\n${pem(label)}\n${cert}\nafter`;
      expect(redactText(text)).toBe(`before\n${REDACTED}\n${cert}\nafter`);
    },
  );

  it('redacts PEM keys inside JSON string values of non-secret fields', () => {
    const body = JSON.stringify({ bundle: `${pem('EC PRIVATE KEY')}\n`, crt: 'MIIcert' });
    expect(JSON.parse(redactBody(body, 'application/json'))).toEqual({ bundle: `${REDACTED}\n`, crt: 'MIIcert' });
  });

  it('redacts a PEM block cut off by truncation up to the end of the text', () => {
    expect(redactText('key follows: -----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG')).toBe(`key follows: ${REDACTED}`);
  });
});

describe('no length leaks', () => {
  it('uses the same marker whatever the secret length', () => {
    const short = redactBody('{"password":"a"}', 'application/json');
    const long = redactBody(`{"password":"${'a'.repeat(500)}"}`, 'application/json');
    expect(short).toBe(long);
    expect(redactHeaders({ cookie: 'a=b' })).toEqual(redactHeaders({ cookie: `a=${'b'.repeat(300)}` }));
    expect(redactUrl('https://h/?token=a')).toBe(redactUrl(`https://h/?token=${'a'.repeat(64)}`));
  });
});

describe('free text', () => {
  it('redacts key=value secrets and leaves prose alone', () => {
    expect(redactText('login failed for user=bob password=hunter2, retry')).toBe(`login failed for user=bob password=${REDACTED}, retry`);
    expect(redactText('nothing to see: 3 devices, status=ok')).toBe('nothing to see: 3 devices, status=ok');
  });
});

describe('isSecretKey', () => {
  it('matches spellings and families', () => {
    for (const k of [...SECRET_FIELDS, 'clientSecret', 'CLIENT-SECRET', 'adminPassword', 'provisioner_password', 'sessionToken', 'credentialsValue', 'passphrase']) {
      expect(isSecretKey(k), k).toBe(true);
    }
    for (const k of ['token_type', 'tokenType', 'expires_in', 'nextToken', 'pageToken', 'name', 'key', 'publicKey', 'username', 'user_code']) {
      expect(isSecretKey(k), k).toBe(false);
    }
  });
});

describe('Keycloak credential representations', () => {
  it('redacts the value of {"type":"secret"|"password","value":…} and nothing else', () => {
    const secret = redactBody('{"type":"secret","value":"s3cr3t-client-secret"}', 'application/json');
    expect(secret).not.toContain('s3cr3t-client-secret');
    const password = redactBody('{"type":"password","value":"hunter2-pw","temporary":false}', 'application/json');
    expect(password).not.toContain('hunter2-pw');
    expect(password).toContain('"temporary":false');
    expect(redactBody('{"type":"string","value":"plain"}', 'application/json')).toContain('plain');
  });
});
