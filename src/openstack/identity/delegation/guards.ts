/**
 * What a token obtained by delegation (a trust or an application credential) may not do:
 * a restricted application credential may not mint further credentials, and a delegated
 * token stays inside the project it was delegated for.
 */
import { KosError } from '../../../core/errors.js';
import type { AuthContext } from '../../common/context.js';
import { projectIdOf } from '../../common/context.js';
import type { IdentityRepository } from '../repository.js';

const forbiddenAction = (action: string): KosError =>
  new KosError('Forbidden', `You are not authorized to perform the requested action: ${action}.`);

/** The token came from an application credential that is not `unrestricted`. */
export function isRestrictedAppCred(repo: IdentityRepository, auth: AuthContext): boolean {
  if (!auth.methods.includes('application_credential') && !auth.applicationCredentialId) return false;
  const ac = auth.applicationCredentialId ? repo.c.application_credentials.get(auth.applicationCredentialId) : undefined;
  return !ac?.unrestricted;
}

/** Keystone's _check_unrestricted_application_credential; `what` names what is being managed. */
export function requireUnrestricted(repo: IdentityRepository, auth: AuthContext, what: string): void {
  if (isRestrictedAppCred(repo, auth)) {
    throw forbiddenAction(`Using method 'application_credential' is not allowed for managing additional ${what}`);
  }
}

export const isDelegated = (auth: AuthContext): boolean => Boolean(auth.trustId || auth.applicationCredentialId);

/** A delegated token may only touch credentials of the project it is scoped to. */
export function requireDelegatedProject(auth: AuthContext, projectId: string | null, what: string): void {
  if (isDelegated(auth) && projectId !== (projectIdOf(auth) ?? null)) {
    throw forbiddenAction(`${what} project does not match the project scope of the delegated token`);
  }
}

/** Trust-scoped tokens may not manage application credentials or access rules. */
export function refuseTrustToken(auth: AuthContext): void {
  if (auth.trustId) {
    throw new KosError('Forbidden', 'Cannot manage application credentials with a token issued via delegation.');
  }
}

export { forbiddenAction };
