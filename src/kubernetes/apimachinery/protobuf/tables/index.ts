// Every package table the decoder knows, in one list for the registry.
import type { PackageTable } from '../descriptor.js';
import { appsV1ControllerRevision } from './apps-v1-controller-revision.js';
import { appsV1 } from './apps-v1.js';
import { authenticationV1 } from './authentication-v1.js';
import { authorizationV1 } from './authorization-v1.js';
import { autoscalingV1 } from './autoscaling-v1.js';
import { autoscalingV2 } from './autoscaling-v2.js';
import { batchV1 } from './batch-v1.js';
import { coordinationV1 } from './coordination-v1.js';
import { coreV1Cluster } from './core-v1-cluster.js';
import { coreV1 } from './core-v1.js';
import { discoveryV1 } from './discovery-v1.js';
import { eventsV1 } from './events-v1.js';
import { metaV1Responses } from './meta-v1-responses.js';
import { metaV1 } from './meta-v1.js';
import { metricsV1beta1 } from './metrics-v1beta1.js';
import { networkingV1 } from './networking-v1.js';
import { policyV1 } from './policy-v1.js';
import { rbacV1 } from './rbac-v1.js';
import { schedulingV1 } from './scheduling-v1.js';
import { storageV1 } from './storage-v1.js';

export const builtinTables: readonly PackageTable[] = [
  metaV1, coreV1, appsV1, batchV1, autoscalingV1, autoscalingV2, policyV1, rbacV1,
  networkingV1, schedulingV1, authenticationV1, authorizationV1,
  // Described for OpenAPI (../../../apiserver/openapi) as much as for decoding.
  metaV1Responses, coreV1Cluster, appsV1ControllerRevision, coordinationV1, discoveryV1, eventsV1,
  storageV1, metricsV1beta1,
];
