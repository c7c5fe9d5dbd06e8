/**
 * A cluster's PKI on disk, under `<dataDir>/clusters/<name>/pki/`: the CA (kept across
 * restarts, so kubeconfigs stay valid), the admin client certificate (kept too), and a
 * serving certificate for the addresses the cluster listens on, kept while it is valid,
 * issued by this CA and names exactly those addresses (issuing one costs a key pair and a
 * signature, a noticeable part of a restart).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import 'reflect-metadata';
import { GeneralNames, SubjectAlternativeNameExtension, X509Certificate, type JsonGeneralName } from '@peculiar/x509';
import {
  createCertificateAuthority,
  issueCertificate,
  loadCertificateAuthority,
  stillValid,
  type CertificateAuthority,
  type KeyPairPem,
} from './certificates.js';

export const adminUser = 'kubernetes-admin';
export const adminGroup = 'system:masters';

export interface ClusterPki {
  caPem: string;
  serving: KeyPairPem;
  admin: KeyPairPem;
  dir: string;
}

function readPair(dir: string, base: string): KeyPairPem | undefined {
  const crt = join(dir, `${base}.crt`);
  const key = join(dir, `${base}.key`);
  if (!existsSync(crt) || !existsSync(key)) return undefined;
  return { certPem: readFileSync(crt, 'utf8'), keyPem: readFileSync(key, 'utf8') };
}

function writePair(dir: string, base: string, pair: KeyPairPem): void {
  writeFileSync(join(dir, `${base}.crt`), pair.certPem, { mode: 0o644 });
  writeFileSync(join(dir, `${base}.key`), pair.keyPem, { mode: 0o600 });
}

async function loadOrCreateCa(dir: string, cluster: string): Promise<CertificateAuthority> {
  const existing = readPair(dir, 'ca');
  if (existing && stillValid(existing.certPem)) return loadCertificateAuthority(existing);
  const ca = await createCertificateAuthority(`kos-${cluster}-ca`);
  writePair(dir, 'ca', ca);
  return ca;
}

export interface PkiOptions {
  dataDir: string;
  cluster: string;
  /** Host names and IPs the serving certificate must cover besides localhost/127.0.0.1. */
  hosts: string[];
}

export async function ensureClusterPki(opts: PkiOptions): Promise<ClusterPki> {
  const dir = join(opts.dataDir, 'clusters', opts.cluster, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = await loadOrCreateCa(dir, opts.cluster);
  const hosts = [...new Set(['localhost', '127.0.0.1', '::1', ...opts.hosts.filter((h) => h && h !== '0.0.0.0' && h !== '::')])];
  const dnsNames = [...hosts.filter((h) => !isIP(h)), 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'];
  const ipAddresses = hosts.filter((h) => isIP(h));
  let serving = readPair(dir, 'apiserver');
  if (!serving || !stillValid(serving.certPem) || !(await servingFits(serving.certPem, ca, dnsNames, ipAddresses))) {
    serving = await issueCertificate(ca, { subject: 'CN=kube-apiserver', usage: 'server', dnsNames, ipAddresses });
    writePair(dir, 'apiserver', serving);
  }
  let admin = readPair(dir, 'admin');
  if (!admin || !stillValid(admin.certPem) || !signedBy(admin.certPem, ca)) {
    admin = await issueCertificate(ca, { subject: `CN=${adminUser}, O=${adminGroup}`, usage: 'client' });
    writePair(dir, 'admin', admin);
  }
  return { caPem: ca.certPem, serving, admin, dir };
}

/** A kept serving certificate must be signed by this CA and name exactly these addresses. */
async function servingFits(certPem: string, ca: CertificateAuthority, dnsNames: string[], ipAddresses: string[]): Promise<boolean> {
  try {
    const cert = new X509Certificate(certPem);
    if (!(await cert.verify({ publicKey: ca.cert.publicKey, signatureOnly: true }))) return false;
    const wanted: JsonGeneralName[] = [
      ...dnsNames.map((value) => ({ type: 'dns' as const, value })),
      ...ipAddresses.map((value) => ({ type: 'ip' as const, value })),
    ];
    // Both sides through the same encoder, so IPv6 spellings compare alike.
    const key = (names: JsonGeneralName[]): string => names.map((n) => `${n.type}:${n.value}`).sort().join(',');
    const present = cert.getExtension(SubjectAlternativeNameExtension)?.names.toJSON() ?? [];
    return key(present) === key(new GeneralNames(wanted).toJSON());
  } catch {
    return false;
  }
}

/** A kept admin certificate is only reused if the CA on disk issued it. */
function signedBy(certPem: string, ca: CertificateAuthority): boolean {
  return certPem.length > 0 && ca.cert.subject.length > 0 && readIssuer(certPem) === ca.cert.subject;
}

function readIssuer(pem: string): string {
  try {
    return new X509Certificate(pem).issuer;
  } catch {
    return '';
  }
}
