/**
 * X.509 for a cluster with @peculiar/x509 over Node's WebCrypto: a CA, serving
 * certificates and client certificates, all ECDSA P-256 (small, fast to generate, and
 * accepted by Go's TLS stack in kubectl and by Node's in client-node).
 *
 * Validity uses the machine's wall clock, not the injected Clock: TLS peers check
 * certificates against real time, so a virtual clock set elsewhere would only produce
 * certificates nobody accepts.
 */
import { webcrypto, randomBytes } from 'node:crypto';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface CertificateAuthority extends KeyPairPem {
  cert: x509.X509Certificate;
  privateKey: CryptoKey;
}

const serial = (): string => {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f; // positive
  return bytes.toString('hex');
};

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Backdated an hour so a peer whose clock runs a little behind still accepts it. */
const validity = (days: number): { notBefore: Date; notAfter: Date } => {
  const now = Date.now();
  return { notBefore: new Date(now - hourMs), notAfter: new Date(now + days * dayMs) };
};

export async function createCertificateAuthority(commonName: string): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    ...validity(3650),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, privateKey: keys.privateKey, certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

export async function loadCertificateAuthority(pem: KeyPairPem): Promise<CertificateAuthority> {
  const cert = new x509.X509Certificate(pem.certPem);
  const der = x509.PemConverter.decodeFirst(pem.keyPem);
  const privateKey = await webcrypto.subtle.importKey('pkcs8', der, algorithm, true, ['sign']);
  return { ...pem, cert, privateKey };
}

export interface LeafOptions {
  /** Subject, e.g. `CN=kubernetes-admin, O=system:masters`. */
  subject: string;
  usage: 'server' | 'client';
  dnsNames?: string[];
  ipAddresses?: string[];
  days?: number;
}

export async function issueCertificate(ca: CertificateAuthority, opts: LeafOptions): Promise<KeyPairPem> {
  const keys = await generateKeys();
  const names: x509.JsonGeneralName[] = [
    ...(opts.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(opts.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([opts.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey),
  ];
  if (names.length) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: opts.subject,
    issuer: ca.cert.subject,
    ...validity(opts.days ?? 365),
    signingAlgorithm: algorithm,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

/** True when the PEM certificate is still valid for at least `marginDays`. */
export function stillValid(certPem: string, marginDays = 30): boolean {
  try {
    const cert = new x509.X509Certificate(certPem);
    return cert.notAfter.getTime() - Date.now() > marginDays * dayMs;
  } catch {
    return false;
  }
}
