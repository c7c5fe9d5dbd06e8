/**
 * A cluster's authentication and authorization, assembled: the authenticator chain
 * (client certificates, then bearer tokens through the token authenticators — service
 * account tokens today, Keystone later), the authorizer chain (system:masters, then
 * RBAC over informer caches), the bootstrap RBAC policy reconciled at start, and the
 * controllers that keep ClusterRoles aggregated and a `default` ServiceAccount in every
 * namespace. The review kinds and the TokenRequest subresource reach all of this through
 * the ClusterAuth interface.
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/log.js';
import { Manager, fromInformer } from '../../core/reconcile/index.js';
import {
  authenticateRequest,
  bearerTokenAuthenticator,
  reviewToken,
  TokenRejectedError,
  type AuthenticationRequest,
  type Authenticator,
  type TokenAuthenticator,
} from './authn/authenticator.js';
import { clientCertificateAuthenticator } from './authn/client-certificate.js';
import { DefaultServiceAccountReconciler } from './authn/default-service-account.js';
import { loadOrCreateServiceAccountKey } from './authn/service-account-key.js';
import { ServiceAccountTokens, defaultServiceAccountIssuer, type BoundObjectReader } from './authn/service-account-token.js';
import { answerTokenRequest } from './authn/token-request.js';
import { withAuthenticatedGroup, type UserInfo } from './authn/user.js';
import type { KubeObject } from './object.js';
import { ClusterRoleAggregator } from './rbac/aggregation.js';
import type { Attributes } from './rbac/attributes.js';
import { escalationCheck } from './rbac/escalation.js';
import { RbacAuthorizer, privilegedGroupsAuthorizer, unionAuthorizer, type Authorizer, type Decision, type RulesResult } from './rbac/authorizer.js';
import { reconcileBootstrapPolicy } from './rbac/bootstrap.js';
import { RbacPolicyCache, objectInformer } from './rbac/policy-cache.js';
import type { RequestInfo } from './request-info.js';
import type { Registry } from './registry.js';
import type { ResourceDefinition } from './resource.js';
import { namespaces } from './resources/namespaces.js';
import { pods } from './resources/pods.js';
import { clusterrolebindings } from './resources/rbac-clusterrolebindings.js';
import { clusterroles } from './resources/rbac-clusterroles.js';
import { rolebindings } from './resources/rbac-rolebindings.js';
import { roles } from './resources/rbac-roles.js';
import { secrets } from './resources/secrets.js';
import { serviceaccounts } from './resources/serviceaccounts.js';
import { StatusError } from './status.js';

export type { UserInfo } from './authn/user.js';
export type { Decision, RulesResult } from './rbac/authorizer.js';

export type TokenReviewResult = { authenticated: true; user: UserInfo; audiences: string[] } | { authenticated: false; error: string };

/** What the review kinds and the token subresource may ask of the cluster's auth. */
export interface ClusterAuth {
  /** The audiences this API server accepts tokens for (and gives tokens by default). */
  readonly apiAudiences: readonly string[];
  authenticate(request: AuthenticationRequest): Promise<UserInfo | undefined>;
  authorize(attrs: Attributes): Promise<Decision>;
  rulesFor(user: UserInfo, namespace: string): RulesResult;
  reviewToken(token: string, audiences: readonly string[]): Promise<TokenReviewResult>;
  /** Answer a TokenRequest for the service account (already read from the store). */
  requestToken(serviceAccount: KubeObject, body: unknown): Promise<KubeObject>;
}

export interface RunningClusterAuth extends ClusterAuth {
  stop(): Promise<void>;
}

/** The kinds auth reads and writes, as the catalog serves them. */
export interface AuthKinds {
  namespaces: ResourceDefinition;
  serviceAccounts: ResourceDefinition;
  pods?: ResourceDefinition;
  secrets?: ResourceDefinition;
  roles: ResourceDefinition;
  clusterRoles: ResourceDefinition;
  roleBindings: ResourceDefinition;
  clusterRoleBindings: ResourceDefinition;
}

export interface ClusterAuthOptions {
  registry: Registry;
  clock: Clock;
  log: Logger;
  /** The cluster's pki directory, where the service account signing key is kept. */
  pkiDir: string;
  /** Default: the built-in definitions. */
  kinds?: AuthKinds;
  issuer?: string;
  /** Appended after client certificates and bearer tokens (e.g. an authenticating proxy). */
  authenticators?: readonly Authenticator[];
  /** Appended after service account tokens (e.g. the Keystone webhook). */
  tokenAuthenticators?: readonly TokenAuthenticator[];
  /** Appended after RBAC (e.g. the Keystone webhook authorizer). */
  authorizers?: readonly Authorizer[];
}

/** The built-in definitions of the kinds auth reads and writes. */
export const builtinAuthKinds: AuthKinds = {
  namespaces,
  serviceAccounts: serviceaccounts,
  pods,
  secrets,
  roles,
  clusterRoles: clusterroles,
  roleBindings: rolebindings,
  clusterRoleBindings: clusterrolebindings,
};

function objectReader(registry: Registry, kinds: AuthKinds): BoundObjectReader {
  const defs = { ServiceAccount: kinds.serviceAccounts, Pod: kinds.pods, Secret: kinds.secrets, Node: undefined };
  return {
    async get(kind, namespace, name) {
      const def = defs[kind];
      if (!def) return undefined;
      try {
        return await registry.get(def, def.namespaced ? namespace : undefined, name);
      } catch (e) {
        if (e instanceof StatusError && e.status.reason === 'NotFound') return undefined;
        throw e;
      }
    },
  };
}

export async function startClusterAuth(opts: ClusterAuthOptions): Promise<RunningClusterAuth> {
  const { registry, clock } = opts;
  const kinds = opts.kinds ?? builtinAuthKinds;
  const log = opts.log.child({ component: 'auth' });
  const reader = objectReader(registry, kinds);
  const issuer = opts.issuer ?? defaultServiceAccountIssuer;
  const apiAudiences = [issuer];
  const tokens = new ServiceAccountTokens({ key: loadOrCreateServiceAccountKey(opts.pkiDir), clock, reader, issuer });
  const tokenAuthenticators: TokenAuthenticator[] = [tokens, ...(opts.tokenAuthenticators ?? [])];
  const authenticators: Authenticator[] = [clientCertificateAuthenticator, bearerTokenAuthenticator(tokenAuthenticators, apiAudiences), ...(opts.authenticators ?? [])];

  const policy = new RbacPolicyCache(registry, kinds, clock, log);
  const rbac = new RbacAuthorizer(policy);
  const authorizer = unionAuthorizer([privilegedGroupsAuthorizer, rbac, ...(opts.authorizers ?? [])]);

  await reconcileBootstrapPolicy(registry, kinds);
  const removeEscalationCheck = registry.admission.add(
    escalationCheck({
      registry,
      roles: kinds.roles,
      clusterRoles: kinds.clusterRoles,
      authorize: (attrs) => authorizer.authorize(attrs),
      rulesFor: (user, namespace) => rbac.rulesFor(user, namespace),
    }),
  );

  const manager = new Manager({ clock, logger: log });
  for (const informer of policy.informers) manager.addInformer(informer);
  const aggregator = new ClusterRoleAggregator(registry, kinds.clusterRoles, policy.clusterRoles);
  manager.addController({ reconciler: aggregator, sources: [fromInformer(policy.clusterRoles, aggregator.keysFor)] });
  const namespaceInformer = objectInformer(registry, kinds.namespaces, clock, log);
  const serviceAccountInformer = objectInformer(registry, kinds.serviceAccounts, clock, log);
  const defaultServiceAccounts = new DefaultServiceAccountReconciler(registry, kinds);
  manager.addController({
    reconciler: defaultServiceAccounts,
    sources: [fromInformer(namespaceInformer, DefaultServiceAccountReconciler.namespaceKeys), fromInformer(serviceAccountInformer, DefaultServiceAccountReconciler.serviceAccountKeys)],
  });
  await manager.start();
  await Promise.all(policy.informers.map((i) => i.waitForSync()));
  // What exists at start is settled before the first request: aggregated roles filled,
  // every namespace with its default ServiceAccount (both reconcilers are idempotent,
  // so racing their own workers is harmless).
  for (const key of aggregator.keysFor()) await aggregator.reconcile(key);
  for (const ns of namespaceInformer.list()) if (ns.metadata.name) await defaultServiceAccounts.reconcile(ns.metadata.name);

  return {
    apiAudiences,
    authenticate: (request) => authenticateRequest(authenticators, request),
    authorize: (attrs) => authorizer.authorize(attrs),
    rulesFor: (user, namespace) => rbac.rulesFor(user, namespace),
    async reviewToken(token, audiences) {
      try {
        const verdict = await reviewToken(tokenAuthenticators, token, audiences.length > 0 ? audiences : apiAudiences);
        if (!verdict) return { authenticated: false, error: 'invalid bearer token' };
        return { authenticated: true, user: withAuthenticatedGroup(verdict.user), audiences: verdict.audiences };
      } catch (e) {
        if (e instanceof TokenRejectedError) return { authenticated: false, error: `invalid bearer token, ${e.message}` };
        throw e;
      }
    },
    requestToken: (serviceAccount, body) => answerTokenRequest(serviceAccount, body, { tokens, reader, apiAudiences }),
    async stop() {
      removeEscalationCheck();
      await manager.stop();
    },
  };
}

/** Paths anyone may read without credentials, as the system:public-info-viewer role allows. */
const publicPaths = new Set(['/healthz', '/livez', '/readyz', '/version', '/version/']);

export function isPublicPath(info: RequestInfo): boolean {
  if (info.kind !== 'nonResource' || (info.verb !== 'get' && info.verb !== 'head')) return false;
  return publicPaths.has(info.path) || ['/healthz/', '/livez/', '/readyz/'].some((p) => info.path.startsWith(p));
}
