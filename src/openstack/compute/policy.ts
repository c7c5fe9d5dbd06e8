/**
 * Nova's policy defaults (Zed, legacy rules as devstack runs them): admin-or-owner for a
 * project's resources, admin for the cloud's (hypervisors, services, aggregates, flavor
 * management, quotas of others), and anyone authenticated for flavors and zones.
 */
import { always, anyOf, isAdmin, ownsProject, PolicyEngine } from '../common/policy.js';

const adminOrOwner = anyOf(isAdmin, ownsProject);

export const computePolicy = new PolicyEngine({
  'os_compute_api:servers:index': always,
  'os_compute_api:servers:detail:get_all_tenants': isAdmin,
  'os_compute_api:servers:show': adminOrOwner,
  'os_compute_api:servers:create': always,
  'os_compute_api:servers:create:forced_host': isAdmin,
  'os_compute_api:servers:update': adminOrOwner,
  'os_compute_api:servers:delete': adminOrOwner,
  'os_compute_api:servers:action': adminOrOwner,
  'os_compute_api:os-migrate-server:migrate': isAdmin,
  'os_compute_api:os-migrate-server:migrate_live': isAdmin,
  'os_compute_api:os-lock-server:unlock:unlock_override': isAdmin,
  'os_compute_api:os-flavor-manage:create': isAdmin,
  'os_compute_api:os-flavor-manage:update': isAdmin,
  'os_compute_api:os-flavor-manage:delete': isAdmin,
  'os_compute_api:os-flavor-extra-specs:manage': isAdmin,
  'os_compute_api:os-flavor-access': isAdmin,
  'os_compute_api:os-aggregates': isAdmin,
  'os_compute_api:os-hypervisors': isAdmin,
  'os_compute_api:os-services': isAdmin,
  'os_compute_api:os-availability-zone:detail': isAdmin,
  'os_compute_api:os-quota-sets:update': isAdmin,
  'os_compute_api:os-quota-sets:show': adminOrOwner,
  'os_compute_api:os-keypairs:other-user': isAdmin,
  'os_compute_api:os-instance-actions:events': isAdmin,
  'os_compute_api:os-migrations:index': isAdmin,
  'os_compute_api:os-server-groups:all_projects': isAdmin,
  'os_compute_api:os-server-groups:show': adminOrOwner,
  'os_compute_api:os-simple-tenant-usage:list': isAdmin,
  'os_compute_api:os-admin-actions': isAdmin,
});
