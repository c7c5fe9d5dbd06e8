// autoscaling/v1 message layouts. Field numbers: generated.proto of k8s.io/api autoscaling/v1 at v0.35;
// JSON names, pointers, omitempty and inlining: its Go types. Syntax: ../descriptor.ts.
import type { PackageTable } from '../descriptor.js';

export const autoscalingV1: PackageTable = {
  package: 'autoscaling.v1',
  groupVersion: 'autoscaling/v1',
  kinds: ['HorizontalPodAutoscaler', 'Scale'],
  messages: {
    CrossVersionObjectReference: '1 kind s, 2 name s, 3 apiVersion s?',
    HorizontalPodAutoscaler:
      '1 metadata @meta.v1.ObjectMeta?, 2 spec @HorizontalPodAutoscalerSpec?, '
      + '3 status @HorizontalPodAutoscalerStatus?',
    HorizontalPodAutoscalerSpec:
      '1 scaleTargetRef @CrossVersionObjectReference, 2 minReplicas i*?, 3 maxReplicas i, '
      + '4 targetCPUUtilizationPercentage i*?',
    HorizontalPodAutoscalerStatus:
      '1 observedGeneration l*?, 2 lastScaleTime @meta.v1.Time*?, 3 currentReplicas i, '
      + '4 desiredReplicas i, 5 currentCPUUtilizationPercentage i*?',
    Scale: '1 metadata @meta.v1.ObjectMeta?, 2 spec @ScaleSpec?, 3 status @ScaleStatus?',
    ScaleSpec: '1 replicas i?',
    ScaleStatus: '1 replicas i, 2 selector s?',
  },
};
