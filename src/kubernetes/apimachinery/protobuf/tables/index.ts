// Every package table the decoder knows, in one list for the registry.
import type { PackageTable } from '../descriptor.js';
import { appsV1 } from './apps-v1.js';
import { authenticationV1 } from './authentication-v1.js';
import { authorizationV1 } from './authorization-v1.js';
import { autoscalingV1 } from './autoscaling-v1.js';
import { autoscalingV2 } from './autoscaling-v2.js';
import { batchV1 } from './batch-v1.js';
import { coreV1 } from './core-v1.js';
import { metaV1 } from './meta-v1.js';
import { networkingV1 } from './networking-v1.js';
import { policyV1 } from './policy-v1.js';
import { rbacV1 } from './rbac-v1.js';
import { schedulingV1 } from './scheduling-v1.js';

export const builtinTables: readonly PackageTable[] = [
  metaV1, coreV1, appsV1, batchV1, autoscalingV1, autoscalingV2, policyV1, rbacV1,
  networkingV1, schedulingV1, authenticationV1, authorizationV1,
];
