/**
 * RBAC's view of the cluster: informer caches of the four RBAC kinds, so authorizing a
 * request reads memory, never the store. The caches follow the store's watch, so a new
 * RoleBinding takes effect as soon as the informer sees it (milliseconds), as in the
 * real server.
 */
import type { Clock } from '../../../core/clock.js';
import type { Logger } from '../../../core/log.js';
import { Informer } from '../../../core/reconcile/index.js';
import type { KubeObject } from '../object.js';
import type { Registry } from '../registry.js';
import type { ResourceDefinition } from '../resource.js';
import type { RbacPolicySource } from './authorizer.js';

export interface RbacKinds {
  roles: ResourceDefinition;
  clusterRoles: ResourceDefinition;
  roleBindings: ResourceDefinition;
  clusterRoleBindings: ResourceDefinition;
}

const byNamespace = 'namespace';

export function objectInformer(registry: Registry, def: ResourceDefinition, clock: Clock, logger: Logger): Informer<KubeObject> {
  return new Informer<KubeObject>({
    store: registry.store,
    prefix: registry.keys.prefix(def),
    decode: (_value, kv) => registry.decode(kv),
    clock,
    logger,
  });
}

export class RbacPolicyCache implements RbacPolicySource {
  readonly roles: Informer<KubeObject>;
  readonly clusterRoles: Informer<KubeObject>;
  readonly roleBindingsInformer: Informer<KubeObject>;
  readonly clusterRoleBindingsInformer: Informer<KubeObject>;

  constructor(
    private readonly registry: Registry,
    private readonly kinds: RbacKinds,
    clock: Clock,
    logger: Logger,
  ) {
    this.roles = objectInformer(registry, kinds.roles, clock, logger);
    this.clusterRoles = objectInformer(registry, kinds.clusterRoles, clock, logger);
    this.roleBindingsInformer = objectInformer(registry, kinds.roleBindings, clock, logger);
    this.clusterRoleBindingsInformer = objectInformer(registry, kinds.clusterRoleBindings, clock, logger);
    this.roleBindingsInformer.addIndex(byNamespace, (o) => [o.metadata.namespace ?? '']);
  }

  get informers(): Informer<KubeObject>[] {
    return [this.roles, this.clusterRoles, this.roleBindingsInformer, this.clusterRoleBindingsInformer];
  }

  clusterRoleBindings(): readonly KubeObject[] {
    return this.clusterRoleBindingsInformer.list();
  }

  roleBindings(namespace: string): readonly KubeObject[] {
    return this.roleBindingsInformer.byIndex(byNamespace, namespace);
  }

  clusterRole(name: string): KubeObject | undefined {
    return this.clusterRoles.get(this.registry.keys.key(this.kinds.clusterRoles, undefined, name));
  }

  role(namespace: string, name: string): KubeObject | undefined {
    return this.roles.get(this.registry.keys.key(this.kinds.roles, namespace, name));
  }
}

/** A fixed policy, for tests and tools that evaluate RBAC over objects in hand. */
export function staticPolicy(objects: readonly KubeObject[]): RbacPolicySource {
  const of = (kind: string): KubeObject[] => objects.filter((o) => o.kind === kind);
  return {
    clusterRoleBindings: () => of('ClusterRoleBinding'),
    roleBindings: (ns) => of('RoleBinding').filter((o) => o.metadata.namespace === ns),
    clusterRole: (name) => of('ClusterRole').find((o) => o.metadata.name === name),
    role: (ns, name) => of('Role').find((o) => o.metadata.namespace === ns && o.metadata.name === name),
  };
}
