/**
 * A cluster's PKI on disk, under `<dataDir>/clusters/<name>/pki/`: the CA (kept across
 * restarts, so kubeconfigs stay valid), the admin client certificate (kept too), and a
 * serving certificate issued at every start for the addresses the cluster listens on.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
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
  const serving = await issueCertificate(ca, {
    subject: 'CN=kube-apiserver',
    usage: 'server',
    dnsNames: [...hosts.filter((h) => !isIP(h)), 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
    ipAddresses: hosts.filter((h) => isIP(h)),
  });
  writePair(dir, 'apiserver', serving);
  let admin = readPair(dir, 'admin');
  if (!admin || !stillValid(admin.certPem) || !signedBy(admin.certPem, ca)) {
    admin = await issueCertificate(ca, { subject: `CN=${adminUser}, O=${adminGroup}`, usage: 'client' });
    writePair(dir, 'admin', admin);
  }
  return { caPem: ca.certPem, serving, admin, dir };
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
