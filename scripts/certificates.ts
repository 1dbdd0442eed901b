// @peculiar/x509 builds its ASN.1 parts through tsyringe, which needs a Reflect metadata polyfill
// loaded before it: this import stays first.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

// Development certificates for mutual TLS between the API, the worker and the Temporal frontend:
// one CA, the server's certificate and a client certificate per process. Keys are ECDSA P-256,
// made and used for signing by Node's own WebCrypto; @peculiar/x509 only encodes the certificates.
// A city uses certificates from its own PKI instead (README, Security).

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const keyAlgorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signingAlgorithm = { name: 'ECDSA', hash: 'SHA-256' } as const;
const organisation = 'suggestion-chain';

export interface CertificateAuthority {
  certificate: x509.X509Certificate;
  /** The certificate as PEM. */
  pem: string;
  keys: webcrypto.CryptoKeyPair;
}

export interface Issued {
  /** PEM. */
  certificate: string;
  /** PEM, PKCS#8: what Go's crypto/tls, rustls (the worker's core) and OpenSSL (grpc-js) all read. */
  privateKey: string;
}

/** A self-signed CA that may sign end-entity certificates only (path length 0). */
export async function createCertificateAuthority(commonName: string, days: number): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=${commonName}, O=${organisation}`,
    ...validity(days),
    signingAlgorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate, pem: pemText(certificate.toString('pem')), keys };
}

export interface LeafRequest {
  commonName: string;
  /**
   * 'server': the frontend's certificate; it also carries client authentication, because the
   * server presents it as a client too (its system worker and internode calls, as Temporal's own
   * configuration template does). 'client': a process that connects to the frontend.
   */
  usage: 'server' | 'client';
  dnsNames?: string[];
  ipAddresses?: string[];
  days: number;
}

export async function issueCertificate(ca: CertificateAuthority, request: LeafRequest): Promise<Issued> {
  const keys = await generateKeys();
  const names = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const usages = request.usage === 'server' ? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth] : [x509.ExtendedKeyUsage.clientAuth];
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${request.commonName}, O=${organisation}`,
    issuer: ca.certificate.subject,
    ...validity(request.days),
    signingAlgorithm,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(usages),
      ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    ],
  });
  return { certificate: pemText(certificate.toString('pem')), privateKey: pemText(await privateKeyPem(keys)) };
}

export interface DevelopmentCertificateOptions {
  out: string;
  /** Names clients reach the frontend by (its SAN); localhost and 127.0.0.1 are always added. */
  serverNames: string[];
  /** One client certificate each, named by its common name (api, worker, …). */
  clients: string[];
  days: number;
  /** Replace a set already in `out`. */
  force?: boolean;
}

export interface DevelopmentCertificates {
  /** false: a complete set was already there and was left alone. */
  written: boolean;
  /** The folder of each identity (`temporal` for the server), each with ca.pem, cert.pem and key.pem. */
  folders: Record<string, string>;
  /** When the server's certificate (and the clients', issued with it) expires. */
  notAfter: Date;
}

/** The folder the server's files go to; the clients' are named after them. */
export const serverFolder = 'temporal';

/**
 * Writes a development CA and certificates into `out`: `ca.pem`, and a folder per identity with
 * `ca.pem` (the CA it trusts the other side by), `cert.pem` and `key.pem` (readable by the owner
 * only), so each service mounts only its own folder. The CA's private key is never written:
 * nothing can issue more certificates from it, and a new set replaces the whole set.
 */
export async function writeDevelopmentCertificates(opts: DevelopmentCertificateOptions): Promise<DevelopmentCertificates> {
  for (const name of opts.clients) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`client name "${name}": lower-case letters, digits and dashes only`);
    if (name === serverFolder) throw new Error(`client name "${serverFolder}" is the server's folder`);
  }
  const folders = Object.fromEntries([serverFolder, ...opts.clients].map((name) => [name, join(opts.out, name)]));
  const caFile = join(opts.out, 'ca.pem');
  if (existsSync(caFile) && !opts.force) {
    const missing = Object.values(folders)
      .flatMap((dir) => ['ca.pem', 'cert.pem', 'key.pem'].map((f) => join(dir, f)))
      .filter((f) => !existsSync(f));
    if (missing.length > 0) {
      throw new Error(`${opts.out} holds a set without ${missing.join(', ')}; its CA's key is not kept, so --force issues a new set for every identity`);
    }
    return { written: false, folders, notAfter: new x509.X509Certificate(readFileSync(join(folders[serverFolder], 'cert.pem'), 'utf8')).notAfter };
  }

  // A day longer than what it signs, so no certificate outlives its issuer.
  const ca = await createCertificateAuthority('suggestion-chain development CA', opts.days + 1);
  const caPem = ca.pem;
  const server = await issueCertificate(ca, {
    commonName: opts.serverNames[0] ?? 'localhost',
    usage: 'server',
    dnsNames: [...new Set([...opts.serverNames, 'localhost'])],
    ipAddresses: ['127.0.0.1'],
    days: opts.days,
  });
  const issued: Record<string, Issued> = { [serverFolder]: server };
  for (const name of opts.clients) issued[name] = await issueCertificate(ca, { commonName: name, usage: 'client', days: opts.days });

  mkdirSync(opts.out, { recursive: true });
  writeFileSync(caFile, caPem);
  for (const [name, files] of Object.entries(issued)) {
    const dir = folders[name];
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ca.pem'), caPem);
    writeFileSync(join(dir, 'cert.pem'), files.certificate);
    writeFileSync(join(dir, 'key.pem'), files.privateKey, { mode: 0o600 });
    // An existing file keeps its mode through writeFileSync; a replaced key must not stay readable.
    chmodSync(join(dir, 'key.pem'), 0o600);
  }
  return { written: true, folders, notAfter: new x509.X509Certificate(server.certificate).notAfter };
}

/** Ends with a newline, so files joined with `cat` (a CA bundle during a rotation) stay valid PEM. */
function pemText(pem: string): string {
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}

function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(keyAlgorithm, true, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>;
}

async function privateKeyPem(keys: webcrypto.CryptoKeyPair): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
}

/** 16 random bytes, positive as RFC 5280 requires (the top bit clear, never zero). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}

/** From five minutes ago, so a container whose clock lags a little accepts a certificate just made. */
function validity(days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 5 * 60_000), notAfter: new Date(now + days * 24 * 3600_000) };
}
