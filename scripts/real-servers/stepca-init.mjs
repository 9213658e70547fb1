#!/usr/bin/env node
// Initialises a real step-ca (0.19 from Debian) state dir without the `step` CLI, which Debian
// cannot build. The layout and provisioners mirror what the CDM stacks set up with
// `step ca init` + init-provisioners.sh / init-sub-ca.sh, so the conformance suite can run
// the same scenarios against this server and the sandbox emulator:
//   provider: JWK `iot-bridge` (service-leaf template, max 8760h) and
//             JWK `tenant-sub-ca-signer` (Sub-CA template: CA:true, pathlen 0)
//   tenant:   JWK `iot-bridge` (device-leaf template)
//
// usage: node stepca-init.mjs <dir> [--port 19000] [--kind provider|tenant]
//          [--password <CA key password>] [--provisioner-password <password>]
// writes: config/ca.json, certs/root_ca.crt, certs/intermediate_ca.crt, secrets/root_ca_key,
//   secrets/intermediate_ca_key (encrypted PKCS#8), secrets/password, templates/*.tpl, db/
// prints: {"dir","port","kind","url","rootFingerprint","provisioners":[{"name","kid"}]}
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '19000' },
    kind: { type: 'string', default: 'provider' },
    password: { type: 'string', default: 'changeme' },
    'provisioner-password': { type: 'string', default: 'changeme' },
  },
});
if (positionals.length !== 1 || !['provider', 'tenant'].includes(values.kind)) {
  console.error('usage: stepca-init.mjs <dir> [--port N] [--kind provider|tenant] [--password P] [--provisioner-password P]');
  process.exit(2);
}
const dir = path.resolve(positionals[0]);
const port = Number(values.port);
const kind = values.kind;
const caPassword = values.password;
const provPassword = values['provisioner-password'];
const pkiName = kind === 'provider' ? 'CDM Root CA' : 'Tenant Sub-CA';

const p = (...a) => path.join(dir, ...a);
if (fs.existsSync(p('config', 'ca.json'))) {
  console.error(`${p('config', 'ca.json')} exists; refusing to overwrite an initialised CA`);
  process.exit(1);
}
for (const d of ['certs', 'secrets', 'config', 'db', 'templates']) fs.mkdirSync(p(d), { recursive: true, mode: 0o700 });
const ossl = (...args) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

fs.writeFileSync(p('secrets', 'password'), caPassword + '\n', { mode: 0o600 });

// --- Root + intermediate (EC P-256) -------------------------------------------------------
// `step ca init` makes root pathlen 1 / intermediate pathlen 0. The provider intermediate
// must sign tenant Sub-CAs (another CA level), so the provider gets one more level of path
// length; otherwise Provider Root -> Intermediate -> Sub-CA -> device would not verify.
const [rootPath, interPath] = kind === 'provider' ? [2, 1] : [1, 0];
// OpenSSL 3's `req` has no -extfile, so extensions live in a -config file with a [req] section.
const extFile = p('secrets', 'ext.cnf');
fs.writeFileSync(extFile, `[req]
distinguished_name=dn
[dn]
[root]
basicConstraints=critical,CA:TRUE,pathlen:${rootPath}
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[inter]
basicConstraints=critical,CA:TRUE,pathlen:${interPath}
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
`);
ossl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256',
  '-aes-256-cbc', '-pass', `pass:${caPassword}`, '-out', p('secrets', 'root_ca_key'));
ossl('req', '-new', '-x509', '-key', p('secrets', 'root_ca_key'), '-passin', `pass:${caPassword}`,
  '-subj', `/O=${pkiName}/CN=${pkiName} Root CA`, '-days', '3650', '-sha256',
  '-config', extFile, '-extensions', 'root', '-out', p('certs', 'root_ca.crt'));
// step-ca decrypts the intermediate key with --password-file at start.
ossl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256',
  '-aes-256-cbc', '-pass', `pass:${caPassword}`, '-out', p('secrets', 'intermediate_ca_key'));
ossl('req', '-new', '-key', p('secrets', 'intermediate_ca_key'), '-passin', `pass:${caPassword}`,
  '-subj', `/O=${pkiName}/CN=${pkiName} Intermediate CA`, '-config', extFile, '-out', p('secrets', 'inter.csr'));
ossl('x509', '-req', '-in', p('secrets', 'inter.csr'), '-CA', p('certs', 'root_ca.crt'),
  '-CAkey', p('secrets', 'root_ca_key'), '-passin', `pass:${caPassword}`, '-set_serial', '0x' + crypto.randomBytes(16).toString('hex'),
  '-days', '3650', '-sha256', '-extfile', extFile, '-extensions', 'inter', '-out', p('certs', 'intermediate_ca.crt'));
fs.rmSync(p('secrets', 'inter.csr'));
fs.rmSync(extFile);

const rootDer = new crypto.X509Certificate(fs.readFileSync(p('certs', 'root_ca.crt'))).raw;
const rootFingerprint = crypto.createHash('sha256').update(rootDer).digest('hex');

// --- Templates (the CDM stacks' device-leaf / service-leaf / tenant-sub-ca .tpl) ------------
const leafTemplate = (ou, keyUsage, extKeyUsage) => `{
  "subject": {"commonName": {{ toJson .Subject.CommonName }}, "organization": "CDM IoT Platform", "organizationalUnit": ${JSON.stringify(ou)}},
  "sans": {{ toJson .SANs }},
  "keyUsage": ${JSON.stringify(keyUsage)},
  "extKeyUsage": ${JSON.stringify(extKeyUsage)},
  "basicConstraints": {"isCA": false}
}
`;
fs.writeFileSync(p('templates', 'device-leaf.tpl'), leafTemplate('Devices', ['digitalSignature'], ['clientAuth']));
fs.writeFileSync(p('templates', 'service-leaf.tpl'),
  leafTemplate('Services', ['digitalSignature', 'keyEncipherment'], ['serverAuth', 'clientAuth']));
fs.writeFileSync(p('templates', 'tenant-sub-ca.tpl'), `{
  "subject": {{ toJson .Subject }},
  "keyUsage": ["certSign", "crlSign"],
  "basicConstraints": {"isCA": true, "maxPathLen": 0}
}
`);

// --- JWK provisioners ---------------------------------------------------------------------
const b64u = (b) => Buffer.from(b).toString('base64url');

// Compact JWE of the private JWK, as `step crypto jwk create` writes it:
// PBES2-HS256+A128KW key wrap (PBKDF2 salt = alg || 0x00 || p2s, RFC 7518 4.8.1.1), A256GCM.
function jweEncryptPbes2(plaintext, pass) {
  const p2s = crypto.randomBytes(16);
  const p2c = 100000;
  const header = { alg: 'PBES2-HS256+A128KW', cty: 'jwk+json', enc: 'A256GCM', p2c, p2s: b64u(p2s) };
  const salt = Buffer.concat([Buffer.from(header.alg), Buffer.from([0]), p2s]);
  const kek = crypto.pbkdf2Sync(Buffer.from(pass), salt, p2c, 16, 'sha256');
  const cek = crypto.randomBytes(32);
  const kw = crypto.createCipheriv('id-aes128-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
  const wrapped = Buffer.concat([kw.update(cek), kw.final()]);
  const protectedB64 = b64u(JSON.stringify(header));
  const iv = crypto.randomBytes(12);
  const gcm = crypto.createCipheriv('aes-256-gcm', cek, iv);
  gcm.setAAD(Buffer.from(protectedB64, 'ascii'));
  const ct = Buffer.concat([gcm.update(Buffer.from(plaintext)), gcm.final()]);
  return [protectedB64, b64u(wrapped), b64u(iv), b64u(ct), b64u(gcm.getAuthTag())].join('.');
}

function jwkProvisioner(name, templateFile, claims) {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const priv = privateKey.export({ format: 'jwk' });
  // kid = RFC 7638 thumbprint: required members in lexicographic order.
  const kid = b64u(crypto.createHash('sha256')
    .update(JSON.stringify({ crv: priv.crv, kty: priv.kty, x: priv.x, y: priv.y })).digest());
  const key = { use: 'sig', kty: 'EC', kid, crv: 'P-256', alg: 'ES256', x: priv.x, y: priv.y };
  return {
    type: 'JWK', name, key,
    encryptedKey: jweEncryptPbes2(JSON.stringify({ ...key, d: priv.d }), provPassword),
    ...(claims ? { claims } : {}),
    options: { x509: { templateFile: p('templates', templateFile) } },
  };
}
const provisioners = kind === 'provider'
  ? [jwkProvisioner('iot-bridge', 'service-leaf.tpl', { maxTLSCertDuration: '8760h' }),
    jwkProvisioner('tenant-sub-ca-signer', 'tenant-sub-ca.tpl')]
  : [jwkProvisioner('iot-bridge', 'device-leaf.tpl')];

// --- ca.json ------------------------------------------------------------------------------
const caJson = {
  root: p('certs', 'root_ca.crt'),
  federatedRoots: null,
  crt: p('certs', 'intermediate_ca.crt'),
  key: p('secrets', 'intermediate_ca_key'),
  address: `127.0.0.1:${port}`,
  insecureAddress: '',
  dnsNames: ['127.0.0.1', 'localhost'],
  logger: { format: 'text' },
  db: { type: 'badgerv2', dataSource: p('db'), badgerFileLoadingMode: '' },
  authority: { provisioners },
  tls: {
    cipherSuites: ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'],
    minVersion: 1.2, maxVersion: 1.3, renegotiation: false,
  },
};
fs.writeFileSync(p('config', 'ca.json'), JSON.stringify(caJson, null, 2));
const url = `https://127.0.0.1:${port}`;
fs.writeFileSync(p('config', 'defaults.json'), JSON.stringify({
  'ca-url': url, 'ca-config': p('config', 'ca.json'), fingerprint: rootFingerprint, root: p('certs', 'root_ca.crt'),
}, null, 2));
console.log(JSON.stringify({
  dir, port, kind, url, rootFingerprint,
  provisioners: provisioners.map((x) => ({ name: x.name, kid: x.key.kid })),
}));
