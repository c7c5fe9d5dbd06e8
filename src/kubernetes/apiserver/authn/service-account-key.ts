/**
 * The key a cluster signs service account tokens with, kept in the cluster's pki
 * directory beside the CA (`sa.key`, `sa.pub`, as kubeadm names them) so tokens stay
 * valid across restarts. ES256: small and quick to generate.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyIdOf, type JwtSigningKey } from './jwt.js';

export function loadOrCreateServiceAccountKey(pkiDir: string): JwtSigningKey {
  const keyPath = join(pkiDir, 'sa.key');
  const pubPath = join(pkiDir, 'sa.pub');
  if (existsSync(keyPath)) {
    const privateKey = createPrivateKey(readFileSync(keyPath, 'utf8'));
    const publicKey = createPublicKey(privateKey);
    const alg = privateKey.asymmetricKeyType === 'rsa' ? 'RS256' : 'ES256';
    if (!existsSync(pubPath)) writeFileSync(pubPath, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
    return { alg, kid: keyIdOf(publicKey), privateKey, publicKey };
  }
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(pubPath, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  return { alg: 'ES256', kid: keyIdOf(publicKey), privateKey, publicKey };
}
