/**
 * Client certificates: a certificate the cluster CA signed names the user (CN) and its
 * groups (O), as kubeadm's admin.conf does with `O=system:masters`.
 */
import type { TLSSocket } from 'node:tls';
import type { AuthenticationRequest, Authenticator } from './authenticator.js';

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The subject of the peer's certificate when TLS verified it against the cluster CA. */
export function verifiedCertificateSubject(socket: TLSSocket): AuthenticationRequest['certificateSubject'] {
  if (!socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  const subject = cert?.subject as unknown as Record<string, string | string[] | undefined> | undefined;
  if (!subject) return undefined;
  const commonName = asList(subject.CN)[0];
  return { ...(commonName ? { commonName } : {}), organizations: asList(subject.O) };
}

export const clientCertificateAuthenticator: Authenticator = {
  name: 'x509',
  authenticate(request) {
    const subject = request.certificateSubject;
    if (!subject?.commonName) return Promise.resolve(undefined);
    return Promise.resolve({ name: subject.commonName, groups: [...subject.organizations] });
  },
};
