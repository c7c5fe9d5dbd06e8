/**
 * The kinds this API server serves. Adding a kind is one file with its defineResource and
 * one line here; discovery, routes, Table output and the registry pick it up.
 */
import type { ResourceDefinition } from '../resource.js';
import { configmaps } from './configmaps.js';
import { controllerrevisions } from './controllerrevisions.js';
import { cronjobs } from './cronjobs.js';
import { customresourcedefinitions } from './customresourcedefinitions.js';
import { csidrivers } from './csidrivers.js';
import { csinodes } from './csinodes.js';
import { daemonsets } from './daemonsets.js';
import { endpoints } from './endpoints.js';
import { endpointslices } from './endpointslices.js';
import { eventsV1 } from './events-v1.js';
import { horizontalpodautoscalersV1 } from './hpa-v1.js';
import { horizontalpodautoscalersV2 } from './hpa-v2.js';
import { ingressclasses } from './ingressclasses.js';
import { ingresses } from './ingresses.js';
import { jobs } from './jobs.js';
import { leases } from './leases.js';
import { limitranges } from './limitranges.js';
import { emptyMetrics, metricsResources } from './metrics.js';
import { networkpolicies } from './networkpolicies.js';
import { persistentvolumeclaims } from './persistentvolumeclaims.js';
import { persistentvolumes } from './persistentvolumes.js';
import { poddisruptionbudgets } from './poddisruptionbudgets.js';
import { replicasets } from './replicasets.js';
import { resourcequotas } from './resourcequotas.js';
import { statefulsets } from './statefulsets.js';
import { storageclasses } from './storageclasses.js';
import { volumeattachments } from './volumeattachments.js';
import { deployments } from './deployments.js';
import { events } from './events.js';
import { namespaces } from './namespaces.js';
import { nodes } from './nodes.js';
import { pods } from './pods.js';
import { secrets } from './secrets.js';
import { clusterrolebindings } from './rbac-clusterrolebindings.js';
import { clusterroles } from './rbac-clusterroles.js';
import { rolebindings } from './rbac-rolebindings.js';
import { roles } from './rbac-roles.js';
import { selfsubjectreviews } from './self-subject-reviews.js';
import { selfsubjectrulesreviews } from './self-subject-rules-reviews.js';
import { localsubjectaccessreviews, selfsubjectaccessreviews, subjectaccessreviews } from './subject-access-reviews.js';
import { tokenreviews } from './token-reviews.js';
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
  endpoints,
  persistentvolumes,
  persistentvolumeclaims,
  limitranges,
  resourcequotas,
  replicasets,
  statefulsets,
  daemonsets,
  controllerrevisions,
  eventsV1,
  // autoscaling/v2 first: the first version registered is the group's preferred one.
  horizontalpodautoscalersV2,
  horizontalpodautoscalersV1,
  jobs,
  cronjobs,
  networkpolicies,
  ingresses,
  ingressclasses,
  poddisruptionbudgets,
  storageclasses,
  csidrivers,
  csinodes,
  volumeattachments,
  leases,
  endpointslices,
  ...metricsResources(emptyMetrics),
  roles,
  clusterroles,
  rolebindings,
  clusterrolebindings,
  selfsubjectaccessreviews,
  subjectaccessreviews,
  localsubjectaccessreviews,
  selfsubjectrulesreviews,
  tokenreviews,
  selfsubjectreviews,
  customresourcedefinitions,
];
