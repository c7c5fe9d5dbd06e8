// policy/v1 message layouts. Field numbers: generated.proto of k8s.io/api policy/v1 at v0.35;
// JSON names, pointers, omitempty and inlining: its Go types. Syntax: ../descriptor.ts.
import type { PackageTable } from '../descriptor.js';

export const policyV1: PackageTable = {
  package: 'policy.v1',
  groupVersion: 'policy/v1',
  kinds: ['PodDisruptionBudget', 'Eviction'],
  messages: {
    Eviction: '1 metadata @meta.v1.ObjectMeta?, 2 deleteOptions @meta.v1.DeleteOptions*?',
    PodDisruptionBudget:
      '1 metadata @meta.v1.ObjectMeta?, 2 spec @PodDisruptionBudgetSpec?, '
      + '3 status @PodDisruptionBudgetStatus?',
    PodDisruptionBudgetSpec:
      '1 minAvailable @intstr.IntOrString*?, 2 selector @meta.v1.LabelSelector*?, '
      + '3 maxUnavailable @intstr.IntOrString*?, 4 unhealthyPodEvictionPolicy s*?',
    PodDisruptionBudgetStatus:
      '1 observedGeneration l?, 2 disruptedPods {}@meta.v1.Time?, 3 disruptionsAllowed i, '
      + '4 currentHealthy i, 5 desiredHealthy i, 6 expectedPods i, 7 conditions []@meta.v1.Condition?',
  },
};
