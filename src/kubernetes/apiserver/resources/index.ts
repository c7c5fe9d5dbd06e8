/**
 * The kinds this API server serves. Adding a kind is one file with its defineResource and
 * one line here; discovery, routes, Table output and the registry pick it up.
 */
import type { ResourceDefinition } from '../resource.js';
import { configmaps } from './configmaps.js';
import { deployments } from './deployments.js';
import { events } from './events.js';
import { namespaces } from './namespaces.js';
import { nodes } from './nodes.js';
import { pods } from './pods.js';
import { secrets } from './secrets.js';
import { serviceaccounts } from './serviceaccounts.js';
import { services } from './services.js';

export { namespaces, systemNamespaces } from './namespaces.js';

export const builtinResources: readonly ResourceDefinition[] = [
  namespaces,
  configmaps,
  secrets,
  serviceaccounts,
  services,
  pods,
  events,
  nodes,
  deployments,
];
